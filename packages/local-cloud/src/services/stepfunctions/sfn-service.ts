// AWS Step Functions on the AWS endpoint, for `@aws-sdk/client-sfn` and `aws stepfunctions`: the JSON 1.0
// protocol (`X-Amz-Target: AWSStepFunctions.StartExecution`), SigV4-verified against local-cloud's key pair, with
// the API's errors in `__type`. State machines come from serverless.yml (declared-machines.ts) and
// CreateStateMachine; executions run in the interpreter (interpreter.ts).
import { accessDeniedMessage, deniedCall, type AuthorizeOperation } from '../../iam/denial-messages';
import { stepfunctionsAuthorizationRequests } from '../../iam/requests';
import type { Authorizer } from '../../iam/authorizer';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { ACCOUNT_ID } from '../../common/account';
import { isRecord } from '../../common/records';
import type { ServiceDefinition } from '../../config/service-definition';
import type { AccessKeyPair } from '../../endpoints';
import { internalErrorMessage, logInternalError, type Log } from '../../http/internal-errors';
import { signatureCheckFor } from '../../common/service-options';
import { serviceListener, urlHost, type Listener } from '../../http-listener';
import type { LambdaService } from '../../lambda/lambda-service';
import type { DeliverToTarget } from '../../platform/targets';
import { readCappedBody } from '../../protocol/read-body';
import type { createSignatureCheck } from '../../protocol/signature-errors';
import { declaredStateMachines, type DeclaredStateMachine } from './declared-machines';
import {
  executionDoesNotExist,
  invalidArn,
  invalidToken,
  SfnApiError,
  sendSfnError,
  taskDoesNotExist,
  validationError,
} from './errors';
import type { Definition, ExecutionRun, HistoryEvent, InterpreterOptions } from './interpreter';
import type { Json } from './paths';
import { StateMachines } from './state-machines';
import { definitionErrors, unsupportedFeatures } from './validate';

export interface StepFunctionsOptions {
  service: ServiceDefinition;
  listener?: Listener;
  port?: number;
  host?: string;
  credentials: AccessKeyPair;
  region: string;
  accountId?: string;
  lambda: LambdaService;
  /** Checks a function's call against its role (src/iam); absent, every signed call may. */
  authorizer?: Authorizer;
  deliver: DeliverToTarget;
  /** Where DynamoDB tasks send requests: the edge. Default: this service's own URL. */
  endpoint?: () => { url: string; credentials: AccessKeyPair };
  log?: (line: string) => void;
  timeScale?: number;
  sleep?: InterpreterOptions['sleep'];
}

export interface StepFunctionsService {
  url: string;
  declared: DeclaredStateMachine[];
  machines: StateMachines;
  /** Problems of the declared definitions and what local-cloud leaves out of them, one line each. */
  warnings: string[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Step Functions' limit on an execution's input and a task's output: 256 KiB. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

export async function createStepFunctionsService(
  options: StepFunctionsOptions,
): Promise<StepFunctionsService> {
  const host = options.host ?? '127.0.0.1';
  const account = { region: options.region, accountId: options.accountId ?? ACCOUNT_ID };
  const declared = declaredStateMachines(options.service, account);
  const warnings: string[] = [];
  for (const machine of declared) {
    const say = (line: string) =>
      warnings.push(`state machine ${machine.name} (${machine.declaredAt}): ${line}`);
    machine.problems.forEach(say);
    if (machine.problems.length === 0) definitionErrors(machine.definition).forEach(say);
    unsupportedFeatures(machine.definition).forEach(say);
    if (machine.events.length > 0)
      say(
        `its events (${machine.events.join(', ')}) are not emulated; start executions with StartExecution or an EventBridge rule`,
      );
  }
  const listener = await serviceListener(options, host, 'Step Functions');
  const url = `http://${urlHost(host)}:${listener.port}`;
  const machines = new StateMachines(
    {
      ...account,
      lambda: options.lambda,
      deliver: options.deliver,
      endpoint: options.endpoint ?? (() => ({ url, credentials: options.credentials })),
      log: options.log,
      timeScale: options.timeScale,
      sleep: options.sleep,
    },
    declared,
  );
  const verifySignature = signatureCheckFor(options, 'states');
  const log = options.log ?? (() => {});
  const authorize: AuthorizeOperation = (req, operation, input) =>
    deniedCall(options.authorizer, req, () => stepfunctionsAuthorizationRequests(operation, input, account));
  listener.attach((req, res) => {
    void handleRequest(req, res, machines, verifySignature, log, authorize);
  });
  return {
    url,
    declared,
    machines,
    warnings,
    stop: async () => {
      await listener.close();
      await machines.stop();
    },
  };
}

type Input = Record<string, unknown>;

async function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  machines: StateMachines,
  verifySignature: ReturnType<typeof createSignatureCheck>,
  log: Log,
  authorize: AuthorizeOperation,
): Promise<void> {
  try {
    const body = await readCappedBody(req, MAX_BODY_BYTES, () =>
      validationError('The request is larger than Step Functions reads.'),
    );
    const refused = await verifySignature({
      method: req.method ?? 'POST',
      url: req.url ?? '/',
      headers: req.headers,
      body,
    });
    if (refused) throw new SfnApiError(refused.code, refused.message, refused.status);
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!target.startsWith('AWSStepFunctions.'))
      throw new SfnApiError(
        'UnknownOperationException',
        'The request names no Step Functions operation (X-Amz-Target).',
      );
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new SfnApiError('SerializationException', 'The request body is not valid JSON.');
    }
    if (!isRecord(input))
      throw new SfnApiError('SerializationException', 'The request body is not a JSON object.');
    const operation = target.slice('AWSStepFunctions.'.length);
    const denial = authorize(req, operation, input);
    if (denial) throw new SfnApiError('AccessDeniedException', accessDeniedMessage(denial));
    const output = await runAction(operation, input, machines);
    const text = JSON.stringify(output);
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  } catch (error) {
    if (error instanceof SfnApiError) {
      sendSfnError(res, error);
      return;
    }
    logInternalError(log, req, error);
    sendSfnError(res, new SfnApiError('InternalFailure', internalErrorMessage('Step Functions'), 500));
  }
}

const ACTIONS = [
  'CreateStateMachine',
  'DeleteStateMachine',
  'DescribeStateMachine',
  'DescribeStateMachineForExecution',
  'UpdateStateMachine',
  'ListStateMachines',
  'StartExecution',
  'StartSyncExecution',
  'StopExecution',
  'DescribeExecution',
  'ListExecutions',
  'GetExecutionHistory',
  'SendTaskSuccess',
  'SendTaskFailure',
  'SendTaskHeartbeat',
];

/** Seconds since the epoch, as the JSON 1.0 protocol carries timestamps. */
const epoch = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

async function runAction(
  action: string,
  input: Input,
  machines: StateMachines,
): Promise<Record<string, unknown>> {
  switch (action) {
    case 'CreateStateMachine': {
      const name = requiredString(input, 'name');
      const definitionText = requiredString(input, 'definition');
      const definition = parseDefinition(definitionText);
      const type = optionalString(input, 'type') ?? 'STANDARD';
      if (type !== 'STANDARD' && type !== 'EXPRESS')
        throw validationError(
          `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
        );
      const machine = machines.create({
        name,
        type,
        definition,
        definitionText,
        roleArn: requiredString(input, 'roleArn'),
      });
      return { stateMachineArn: machine.arn, creationDate: epoch(machine.creationDate) };
    }
    case 'UpdateStateMachine': {
      const arn = machineArn(input);
      const definitionText = optionalString(input, 'definition');
      const machine = machines.update(arn, {
        ...(definitionText !== undefined
          ? { definitionText, definition: parseDefinition(definitionText) }
          : {}),
        ...(optionalString(input, 'roleArn') !== undefined
          ? { roleArn: optionalString(input, 'roleArn') }
          : {}),
      });
      return { updateDate: epoch(machine.updateDate) };
    }
    case 'DeleteStateMachine':
      machines.delete(machineArn(input));
      return {};
    case 'DescribeStateMachine':
      return describeMachine(machines.get(machineArn(input)));
    case 'DescribeStateMachineForExecution': {
      const run = machines.execution(executionArn(input));
      return describeMachine(machines.get(run.identity.stateMachineArn));
    }
    case 'ListStateMachines': {
      const page = paginate(machines.list(), input);
      return {
        stateMachines: page.items.map((machine) => ({
          stateMachineArn: machine.arn,
          name: machine.name,
          type: machine.type,
          creationDate: epoch(machine.creationDate),
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }
    case 'StartExecution': {
      const run = machines.start(machineArn(input), executionInput(input), optionalString(input, 'name'));
      return { executionArn: run.identity.executionArn, startDate: epoch(run.startDate) };
    }
    case 'StartSyncExecution': {
      const arn = machineArn(input);
      if (machines.get(arn).type !== 'EXPRESS') {
        throw new SfnApiError(
          'StateMachineTypeNotSupported',
          'This operation is not supported by this type of state machine',
        );
      }
      const run = machines.start(arn, executionInput(input), optionalString(input, 'name'));
      await run.done;
      return {
        executionArn: run.identity.executionArn,
        stateMachineArn: run.identity.stateMachineArn,
        name: run.identity.name,
        startDate: epoch(run.startDate),
        stopDate: epoch(run.stopDate),
        status: run.status,
        input: JSON.stringify(run.input),
        inputDetails: { included: true },
        ...(run.status === 'SUCCEEDED'
          ? { output: JSON.stringify(run.output), outputDetails: { included: true } }
          : { error: run.error, cause: run.cause }),
        billingDetails: {
          billedMemoryUsedInMB: 64,
          billedDurationInMilliseconds: Math.max(
            100,
            Math.ceil(((run.stopDate ?? new Date()).getTime() - run.startDate.getTime()) / 100) * 100,
          ),
        },
      };
    }
    case 'StopExecution': {
      const run = machines.execution(executionArn(input));
      run.stop(optionalString(input, 'error'), optionalString(input, 'cause'));
      return { stopDate: epoch(run.stopDate) };
    }
    case 'DescribeExecution':
      return describeExecution(machines.execution(executionArn(input)));
    case 'ListExecutions': {
      const arn = machineArn(input);
      const machine = machines.get(arn);
      if (machine.type === 'EXPRESS') {
        throw new SfnApiError(
          'StateMachineTypeNotSupported',
          'This operation is not supported by this type of state machine',
        );
      }
      const status = optionalString(input, 'statusFilter');
      const runs = machines.executionsOf(arn).filter((run) => status === undefined || run.status === status);
      const page = paginate(runs, input);
      return {
        executions: page.items.map((run) => ({
          executionArn: run.identity.executionArn,
          stateMachineArn: run.identity.stateMachineArn,
          name: run.identity.name,
          status: run.status,
          startDate: epoch(run.startDate),
          ...(run.stopDate ? { stopDate: epoch(run.stopDate) } : {}),
        })),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }
    case 'GetExecutionHistory': {
      const run = machines.execution(executionArn(input));
      const withData = input.includeExecutionData !== false;
      const events = input.reverseOrder === true ? [...run.events].reverse() : run.events;
      const page = paginate(events, input, 100);
      return {
        events: page.items.map((event) => historyEvent(event, withData)),
        ...(page.nextToken ? { nextToken: page.nextToken } : {}),
      };
    }
    case 'SendTaskSuccess': {
      const token = requiredString(input, 'taskToken');
      const text = requiredString(input, 'output');
      let output: Json;
      try {
        output = JSON.parse(text) as Json;
      } catch {
        throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not JSON');
      }
      if (!machines.tokens.succeed(token, output)) throw unknownToken(token);
      return {};
    }
    case 'SendTaskFailure': {
      const token = requiredString(input, 'taskToken');
      if (
        !machines.tokens.fail(
          token,
          optionalString(input, 'error') ?? '',
          optionalString(input, 'cause') ?? '',
        )
      )
        throw unknownToken(token);
      return {};
    }
    case 'SendTaskHeartbeat': {
      const token = requiredString(input, 'taskToken');
      if (!machines.tokens.heartbeat(token)) throw unknownToken(token);
      return {};
    }
    default:
      throw new SfnApiError(
        'UnknownOperationException',
        `local-cloud's Step Functions does not implement ${action}. It serves ${ACTIONS.join(', ')}.`,
      );
  }
}

function unknownToken(token: string): SfnApiError {
  // local-cloud's tokens are 128 characters of base64: anything else was never one.
  return /^[A-Za-z0-9+/]{128}$/.test(token) ? taskDoesNotExist() : invalidToken(token);
}

function parseDefinition(text: string): Definition {
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new SfnApiError(
      'InvalidDefinition',
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(error as Error).message}'`,
    );
  }
  const errors = definitionErrors(definition);
  if (errors.length > 0)
    throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${errors.join(', ')}'`);
  return definition as Definition;
}

function describeMachine(machine: ReturnType<StateMachines['get']>): Record<string, unknown> {
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    status: 'ACTIVE',
    definition: machine.definitionText,
    roleArn: machine.roleArn,
    type: machine.type,
    creationDate: epoch(machine.creationDate),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

function describeExecution(run: ExecutionRun): Record<string, unknown> {
  return {
    executionArn: run.identity.executionArn,
    stateMachineArn: run.identity.stateMachineArn,
    name: run.identity.name,
    status: run.status,
    startDate: epoch(run.startDate),
    ...(run.stopDate ? { stopDate: epoch(run.stopDate) } : {}),
    input: JSON.stringify(run.input),
    inputDetails: { included: true },
    ...(run.status === 'SUCCEEDED'
      ? { output: JSON.stringify(run.output), outputDetails: { included: true } }
      : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
  };
}

const DATA_FIELDS = new Set(['input', 'output', 'parameters']);

function historyEvent(event: HistoryEvent, withData: boolean): Record<string, unknown> {
  const details = event.details
    ? {
        [event.details.key]: withData
          ? event.details.value
          : Object.fromEntries(Object.entries(event.details.value).filter(([key]) => !DATA_FIELDS.has(key))),
      }
    : {};
  return {
    timestamp: epoch(event.timestamp),
    type: event.type,
    id: event.id,
    previousEventId: event.previousEventId,
    ...details,
  };
}

function paginate<T>(
  items: readonly T[],
  input: Input,
  defaultSize = 100,
): { items: T[]; nextToken?: string } {
  const maxResults =
    typeof input.maxResults === 'number' && input.maxResults > 0
      ? Math.min(input.maxResults, 1000)
      : defaultSize;
  const token = optionalString(input, 'nextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString());
  if (!Number.isInteger(start) || start < 0)
    throw new SfnApiError('InvalidToken', 'Invalid Token: the nextToken is not valid');
  const end = start + maxResults;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
  };
}

function executionInput(input: Input): Json {
  const text = optionalString(input, 'input') ?? '{}';
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    throw new SfnApiError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: 'The input is larger than ${MAX_PAYLOAD_BYTES} bytes'`,
    );
  }
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new SfnApiError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${(error as Error).message}'`,
    );
  }
}

function machineArn(input: Input): string {
  const arn = requiredString(input, 'stateMachineArn');
  if (!/^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)) throw invalidArn(arn);
  return arn;
}

function executionArn(input: Input): string {
  const arn = requiredString(input, 'executionArn');
  if (/^arn:aws:states:[^:]+:\d{12}:express:/.test(arn)) throw executionDoesNotExist(arn);
  if (!/^arn:aws:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) throw invalidArn(arn);
  return arn;
}

function requiredString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw validationError(
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`Value at '${name}' must be a string`);
  return value;
}
