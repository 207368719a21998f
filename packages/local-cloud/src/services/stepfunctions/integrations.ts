// What a Task state's Resource does (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html):
//
//   arn:aws:lambda:<region>:<account>:function:<name>   the function's result is the task's result
//   arn:aws:states:::lambda:invoke                      FunctionName + Payload; the result wrapped in `Payload`
//   arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem (and aws-sdk:dynamodb:*)  via the SDK at the edge
//   arn:aws:states:::sqs:sendMessage, sns:publish, events:putEvents  through the platform's deliver(arn, message)
//   arn:aws:states:::states:startExecution (.sync, .sync:2)           a nested execution here
//
// `.waitForTaskToken` is the interpreter's: it sends the request, then waits for SendTaskSuccess/Failure. Errors
// are named as Step Functions names them: a function's errorType, `Lambda.ServiceException`, ...
import { createHash, randomUUID } from 'node:crypto';
import type * as DynamoDbModule from '@aws-sdk/client-dynamodb';
import { isRecord } from '../../common/records';
import type { AccessKeyPair } from '../../endpoints';
import type { LambdaService } from '../../lambda/lambda-service';
import type { DeliverToTarget } from '../../platform/targets';
import { StatesError } from './errors';
import { asStatesError, taskKind, type ExecutionRun, type TaskCall, type TaskRunner } from './interpreter';
import { textOf, type Json } from './paths';

/* eslint-disable @typescript-eslint/no-require-imports -- the DynamoDB client is loaded by the first DynamoDB task */
const loadDynamoDb = () => require('@aws-sdk/client-dynamodb') as typeof DynamoDbModule;
/* eslint-enable @typescript-eslint/no-require-imports */

export interface IntegrationContext {
  region: string;
  accountId: string;
  lambda: LambdaService;
  deliver: DeliverToTarget;
  /** The AWS endpoint (the edge) and its key pair: where the DynamoDB tasks send their requests. */
  endpoint: () => { url: string; credentials: AccessKeyPair };
  /** Starts a nested execution of one of this service's state machines. */
  startExecution(
    stateMachineArn: string,
    input: Json,
    name: string | undefined,
    parent: ExecutionRun,
  ): ExecutionRun;
}

const DYNAMODB_ACTIONS: Record<string, string> = {
  getItem: 'GetItemCommand',
  putItem: 'PutItemCommand',
  updateItem: 'UpdateItemCommand',
  deleteItem: 'DeleteItemCommand',
  query: 'QueryCommand',
  scan: 'ScanCommand',
};

export function createTaskRunner(context: IntegrationContext): TaskRunner & { close(): void } {
  let dynamodb: DynamoDbModule.DynamoDBClient | undefined;
  const dynamoDbClient = () => {
    if (!dynamodb) {
      const { url, credentials } = context.endpoint();
      dynamodb = new (loadDynamoDb().DynamoDBClient)({
        endpoint: url,
        region: context.region,
        credentials,
        maxAttempts: 1,
      });
    }
    return dynamodb;
  };

  const run = async (call: TaskCall): Promise<Json> => {
    const resource = call.resource.replace(/\.waitForTaskToken$/, '');
    if (/^arn:aws:lambda:/.test(resource)) return lambdaFunction(call, context);
    const kind = taskKind(call.resource);
    if (!kind) throw unsupported(call.resource);
    const events = taskEvents(call, kind);
    events.scheduled();
    try {
      const result = await integration(resource, call, context, dynamoDbClient);
      if (call.signal.aborted) return result;
      if (call.resource.endsWith('.waitForTaskToken')) events.submitted(result);
      else events.succeeded(result);
      return result;
    } catch (error) {
      const failure = asStatesError(error);
      if (!call.signal.aborted) events.failed(failure);
      throw failure;
    }
  };
  return {
    run,
    close: () => dynamodb?.destroy(),
  };
}

function taskEvents(call: TaskCall, kind: { resourceType: string; resource: string }) {
  return {
    scheduled: () => {
      call.event('TaskScheduled', 'taskScheduledEventDetails', {
        ...kind,
        region: call.execution.identity.stateMachineArn.split(':')[3],
        parameters: JSON.stringify(call.parameters),
        ...(call.timeoutSeconds !== undefined ? { timeoutInSeconds: call.timeoutSeconds } : {}),
        ...(call.heartbeatSeconds !== undefined ? { heartbeatInSeconds: call.heartbeatSeconds } : {}),
      });
      call.event('TaskStarted', 'taskStartedEventDetails', kind);
    },
    submitted: (output: Json) =>
      call.event('TaskSubmitted', 'taskSubmittedEventDetails', {
        ...kind,
        output: JSON.stringify(output),
        outputDetails: { truncated: false },
      }),
    succeeded: (output: Json) =>
      call.event('TaskSucceeded', 'taskSucceededEventDetails', {
        ...kind,
        output: JSON.stringify(output),
        outputDetails: { truncated: false },
      }),
    failed: (failure: StatesError) =>
      call.event('TaskFailed', 'taskFailedEventDetails', {
        ...kind,
        error: failure.error,
        cause: failure.cause,
      }),
  };
}

async function integration(
  resource: string,
  call: TaskCall,
  context: IntegrationContext,
  dynamoDbClient: () => DynamoDbModule.DynamoDBClient,
): Promise<Json> {
  const parameters = isRecord(call.parameters) ? (call.parameters as Record<string, Json>) : {};
  const action = /^arn:aws:states:::(.+)$/.exec(resource)?.[1] ?? '';
  switch (action) {
    case 'lambda:invoke':
      return lambdaInvoke(parameters, context);
    case 'sqs:sendMessage':
      return sqsSendMessage(parameters, context);
    case 'sns:publish':
      return snsPublish(parameters, context);
    case 'events:putEvents':
      return putEvents(parameters, context);
    case 'states:startExecution':
    case 'states:startExecution.sync':
    case 'states:startExecution.sync:2':
      return startExecution(action, parameters, call, context);
  }
  const dynamo = /^(aws-sdk:)?dynamodb:([A-Za-z]+)$/.exec(action);
  if (
    dynamo &&
    DYNAMODB_ACTIONS[dynamo[2]!] &&
    (dynamo[1] || ['getItem', 'putItem', 'updateItem', 'deleteItem'].includes(dynamo[2]!))
  ) {
    return dynamoDbCall(
      dynamo[2]!,
      parameters,
      dynamoDbClient,
      dynamo[1] ? 'DynamoDb' : 'DynamoDB',
      !dynamo[1],
    );
  }
  throw unsupported(resource);
}

const unsupported = (resource: string) =>
  new StatesError(
    'States.Runtime',
    `local-cloud does not emulate the task resource ${resource}. It runs Lambda functions (arn:aws:lambda:...:function:x and arn:aws:states:::lambda:invoke), dynamodb:getItem/putItem/updateItem/deleteItem, sqs:sendMessage, sns:publish, events:putEvents and states:startExecution (.sync, .sync:2), each also with .waitForTaskToken where AWS allows it.`,
  );

function sdkMetadata(requestId: string = randomUUID()): Record<string, Json> {
  const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId };
  return {
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

// --- Lambda ---------------------------------------------------------------------------------------------------

/** Invokes a function; a function error becomes the error its errorType names, with the error as the cause. */
async function invokeFunction(
  functionName: string,
  payload: Json,
  context: IntegrationContext,
): Promise<{ result: Json; requestId: string }> {
  const requestId = randomUUID();
  let invoked;
  try {
    invoked = await context.lambda.invoke({
      functionName,
      payload: JSON.stringify(payload ?? {}),
      requestId,
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'ServiceException';
    const known = ['ResourceNotFoundException', 'TooManyRequestsException', 'RequestEntityTooLargeException'];
    throw new StatesError(
      `Lambda.${known.includes(name) ? name : 'ServiceException'}`,
      `${error instanceof Error ? error.message : String(error)} (Service: Lambda, Status Code: ${name === 'ResourceNotFoundException' ? 404 : name === 'TooManyRequestsException' ? 429 : 500}, Request ID: ${requestId})`,
    );
  }
  if (invoked.functionError) {
    let errorType = 'Lambda.Unknown';
    try {
      const parsed = JSON.parse(invoked.payload) as { errorType?: unknown };
      if (typeof parsed.errorType === 'string') errorType = parsed.errorType;
    } catch {
      // not JSON: Lambda.Unknown, as AWS names an error it cannot read
    }
    throw new StatesError(errorType, invoked.payload);
  }
  return { result: parsePayload(invoked.payload), requestId };
}

function parsePayload(text: string): Json {
  if (text === '') return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** The short form: events LambdaFunctionScheduled/Started/Succeeded/Failed, the function's result as is. */
async function lambdaFunction(call: TaskCall, context: IntegrationContext): Promise<Json> {
  const arn = call.resource;
  call.event('LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', {
    resource: arn,
    input: JSON.stringify(call.parameters),
    inputDetails: { truncated: false },
    ...(call.timeoutSeconds !== undefined ? { timeoutInSeconds: call.timeoutSeconds } : {}),
  });
  call.event('LambdaFunctionStarted', 'lambdaFunctionStartedEventDetails', {});
  try {
    const { result } = await invokeFunction(arn, call.parameters, context);
    if (!call.signal.aborted)
      call.event('LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', {
        output: JSON.stringify(result),
        outputDetails: { truncated: false },
      });
    return result;
  } catch (error) {
    const failure = asStatesError(error);
    if (!call.signal.aborted)
      call.event('LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', {
        error: failure.error,
        cause: failure.cause,
      });
    throw failure;
  }
}

async function lambdaInvoke(parameters: Record<string, Json>, context: IntegrationContext): Promise<Json> {
  const functionName = parameters.FunctionName;
  if (typeof functionName !== 'string')
    throw new StatesError(
      'States.Runtime',
      'lambda:invoke needs FunctionName in its Parameters (or Arguments)',
    );
  const payload = parameters.Payload === undefined ? {} : parameters.Payload;
  if (parameters.InvocationType === 'Event') {
    const fn = context.lambda.findFunction(functionName);
    const arn = fn ? context.lambda.functionArn(fn) : functionName;
    const delivered = await context
      .deliver(arn, { body: JSON.stringify(payload) })
      .catch((error: unknown) => {
        throw new StatesError(
          'Lambda.ServiceException',
          error instanceof Error ? error.message : String(error),
        );
      });
    return { ...sdkMetadata(delivered.id), Payload: '', StatusCode: 202 };
  }
  const { result, requestId } = await invokeFunction(functionName, payload, context);
  return { ExecutedVersion: '$LATEST', Payload: result, ...sdkMetadata(requestId), StatusCode: 200 };
}

// --- DynamoDB ---------------------------------------------------------------------------------------------------

async function dynamoDbCall(
  action: string,
  parameters: Record<string, Json>,
  client: () => DynamoDbModule.DynamoDBClient,
  errorPrefix: string,
  withMetadata: boolean,
): Promise<Json> {
  const commands = loadDynamoDb() as unknown as Record<
    string,
    new (input: unknown) => DynamoDbModule.GetItemCommand
  >;
  const Command = commands[DYNAMODB_ACTIONS[action]!]!;
  try {
    const output = (await client().send(new Command(parameters))) as unknown as Record<string, unknown>;
    const { $metadata, ...rest } = output as { $metadata?: { requestId?: string } };
    return JSON.parse(
      JSON.stringify({ ...rest, ...(withMetadata ? sdkMetadata($metadata?.requestId) : {}) }),
    ) as Json;
  } catch (error) {
    const name = error instanceof Error ? error.name : 'AmazonDynamoDBException';
    const message = error instanceof Error ? error.message : String(error);
    throw new StatesError(
      `${errorPrefix}.${name}`,
      `${message} (Service: AmazonDynamoDBv2; Error Code: ${name})`,
    );
  }
}

// --- SQS, SNS, EventBridge ---------------------------------------------------------------------------------------

const asText = (value: Json | undefined): string =>
  typeof value === 'string' ? value : JSON.stringify(value ?? null);

function messageAttributes(
  value: Json | undefined,
): Record<string, { DataType: string; StringValue?: string }> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, { DataType: string; StringValue?: string }> = {};
  for (const [name, attribute] of Object.entries(value as Record<string, Json>)) {
    if (!isRecord(attribute)) continue;
    const record = attribute as Record<string, Json>;
    out[name] = {
      DataType: textOf(record.DataType ?? 'String'),
      ...(record.StringValue !== undefined ? { StringValue: textOf(record.StringValue) } : {}),
    };
  }
  return out;
}

function serviceFailure(prefix: string, service: string, error: unknown): StatesError {
  const code =
    isRecord(error) && typeof error.code === 'string'
      ? error.code
      : error instanceof Error
        ? error.name
        : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new StatesError(
    `${prefix}.Amazon${service}Exception`,
    `${message} (Service: Amazon${service}; Status Code: 400; Error Code: ${code})`,
  );
}

async function sqsSendMessage(parameters: Record<string, Json>, context: IntegrationContext): Promise<Json> {
  const queueUrl = textOf(parameters.QueueUrl ?? '');
  const match = /\/(\d{12})\/([^/?]+)\/?$/.exec(queueUrl);
  if (!match)
    throw new StatesError(
      'SQS.AmazonSQSException',
      `The queue URL ${queueUrl} names no queue (Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue)`,
    );
  const body = asText(parameters.MessageBody);
  const arn = `arn:aws:sqs:${context.region}:${match[1]}:${decodeURIComponent(match[2]!)}`;
  try {
    const delivered = await context.deliver(arn, {
      body,
      attributes: messageAttributes(parameters.MessageAttributes),
      ...(typeof parameters.MessageGroupId === 'string' ? { groupId: parameters.MessageGroupId } : {}),
      ...(typeof parameters.MessageDeduplicationId === 'string'
        ? { deduplicationId: parameters.MessageDeduplicationId }
        : {}),
    });
    return {
      MD5OfMessageBody: createHash('md5').update(body).digest('hex'),
      MessageId: delivered.id,
      ...sdkMetadata(),
    };
  } catch (error) {
    throw serviceFailure('SQS', 'SQS', error);
  }
}

async function snsPublish(parameters: Record<string, Json>, context: IntegrationContext): Promise<Json> {
  const topicArn = textOf(parameters.TopicArn ?? parameters.TargetArn ?? '');
  try {
    const delivered = await context.deliver(topicArn, {
      body: asText(parameters.Message),
      ...(typeof parameters.Subject === 'string' ? { subject: parameters.Subject } : {}),
      attributes: messageAttributes(parameters.MessageAttributes),
      ...(typeof parameters.MessageGroupId === 'string' ? { groupId: parameters.MessageGroupId } : {}),
      ...(typeof parameters.MessageDeduplicationId === 'string'
        ? { deduplicationId: parameters.MessageDeduplicationId }
        : {}),
    });
    return { MessageId: delivered.id, ...sdkMetadata() };
  } catch (error) {
    throw serviceFailure('SNS', 'SNS', error);
  }
}

async function putEvents(parameters: Record<string, Json>, context: IntegrationContext): Promise<Json> {
  const entries = Array.isArray(parameters.Entries) ? parameters.Entries : [];
  const results: Json[] = [];
  let failed = 0;
  for (const entry of entries) {
    const fields = isRecord(entry) ? (entry as Record<string, Json>) : {};
    const bus = typeof fields.EventBusName === 'string' ? fields.EventBusName : 'default';
    const busArn = bus.startsWith('arn:')
      ? bus
      : `arn:aws:events:${context.region}:${context.accountId}:event-bus/${bus}`;
    try {
      const delivered = await context.deliver(busArn, {
        body: asText(fields.Detail ?? {}),
        event: {
          source: textOf(fields.Source ?? ''),
          detailType: textOf(fields.DetailType ?? ''),
          ...(Array.isArray(fields.Resources) ? { resources: fields.Resources.map(textOf) } : {}),
        },
      });
      results.push({ EventId: delivered.id });
    } catch (error) {
      failed += 1;
      results.push({
        ErrorCode: 'InternalFailure',
        ErrorMessage: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const output = { Entries: results, FailedEntryCount: failed };
  if (failed > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(output));
  return output;
}

// --- Nested executions -------------------------------------------------------------------------------------------

async function startExecution(
  action: string,
  parameters: Record<string, Json>,
  call: TaskCall,
  context: IntegrationContext,
): Promise<Json> {
  const arn = textOf(parameters.StateMachineArn ?? '');
  let input: Json = parameters.Input ?? {};
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input) as Json;
    } catch {
      throw new StatesError(
        'StepFunctions.InvalidExecutionInputException',
        'Invalid State Machine Execution Input: the Input is not JSON',
      );
    }
  }
  let child: ExecutionRun;
  try {
    child = context.startExecution(
      arn,
      input,
      typeof parameters.Name === 'string' ? parameters.Name : undefined,
      call.execution,
    );
  } catch (error) {
    const code = error instanceof Error ? error.name : 'SfnException';
    throw new StatesError(
      `StepFunctions.${code}Exception`,
      error instanceof Error ? error.message : String(error),
    );
  }
  if (action === 'states:startExecution') {
    return {
      ExecutionArn: child.identity.executionArn,
      StartDate: child.startDate.toISOString(),
      ...sdkMetadata(),
    };
  }
  const stop = () => child.stop('States.Aborted', 'The parent execution stopped');
  call.signal.addEventListener('abort', stop, { once: true });
  await child.done;
  call.signal.removeEventListener('abort', stop);
  const parsed = action === 'states:startExecution.sync:2';
  const described: Record<string, Json> = {
    ExecutionArn: child.identity.executionArn,
    Input: parsed ? child.input : JSON.stringify(child.input),
    InputDetails: { Included: true },
    Name: child.identity.name,
    StartDate: child.startDate.getTime(),
    StateMachineArn: child.identity.stateMachineArn,
    Status: child.status,
    StopDate: child.stopDate?.getTime() ?? null,
    ...(child.status === 'SUCCEEDED'
      ? {
          Output: parsed ? (child.output ?? null) : JSON.stringify(child.output ?? null),
          OutputDetails: { Included: true },
        }
      : { Error: child.error ?? null, Cause: child.cause ?? null }),
  };
  if (child.status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify(described));
  return described;
}
