// Step Functions itself, apart from HTTP: the state machines (declared and created), their executions (STANDARD
// kept for DescribeExecution, ListExecutions and GetExecutionHistory; EXPRESS run and forgotten, as AWS keeps
// none), callback tokens, and the names and ARNs in AWS's forms.
import { randomUUID } from 'node:crypto';
import type { DeliverToTarget } from '../../platform/targets';
import type { LambdaService } from '../../lambda/lambda-service';
import type { AccessKeyPair } from '../../endpoints';
import type { DeclaredStateMachine, MachineType } from './declared-machines';
import { stateMachineArn } from './declared-machines';
import { SfnApiError, executionDoesNotExist, stateMachineDoesNotExist } from './errors';
import { formatExecution } from './execution-tree';
import { createTaskRunner } from './integrations';
import {
  ExecutionRun,
  Interpreter,
  TaskTokens,
  type Definition,
  type InterpreterOptions,
} from './interpreter';
import type { Json } from './paths';

export interface StateMachine {
  arn: string;
  name: string;
  type: MachineType;
  definition: Definition;
  /** As given (CreateStateMachine) or as resolved (declared): what DescribeStateMachine returns. */
  definitionText: string;
  roleArn: string;
  creationDate: Date;
  updateDate?: Date;
  declared: boolean;
}

export interface StateMachinesOptions {
  region: string;
  accountId: string;
  lambda: LambdaService;
  deliver: DeliverToTarget;
  endpoint: () => { url: string; credentials: AccessKeyPair };
  /** Each finished execution's tree, line by line. */
  log?: (line: string) => void;
  /** Wait states, retry back-offs and timeouts: seconds × 1000 × timeScale ms. Default 1. */
  timeScale?: number;
  sleep?: InterpreterOptions['sleep'];
}

/** Executions kept per state machine (the oldest finished ones go first). */
const MAX_EXECUTIONS_PER_MACHINE = 1000;
// eslint-disable-next-line no-control-regex -- AWS refuses control characters in names
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export class StateMachines {
  readonly tokens = new TaskTokens();
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, ExecutionRun>();
  private readonly byMachine = new Map<string, ExecutionRun[]>();
  private readonly interpreter: Interpreter;
  private readonly runner: ReturnType<typeof createTaskRunner>;
  private readonly running = new Set<ExecutionRun>();

  constructor(
    private readonly options: StateMachinesOptions,
    declared: readonly DeclaredStateMachine[],
  ) {
    for (const machine of declared) {
      this.machines.set(machine.arn, {
        arn: machine.arn,
        name: machine.name,
        type: machine.type,
        definition: machine.definition,
        definitionText: JSON.stringify(machine.definition, null, 2),
        roleArn: machine.roleArn,
        creationDate: new Date(),
        declared: true,
      });
    }
    this.runner = createTaskRunner({
      region: options.region,
      accountId: options.accountId,
      lambda: options.lambda,
      deliver: options.deliver,
      endpoint: options.endpoint,
      startExecution: (arn, input, name) => this.start(arn, input, name),
    });
    this.interpreter = new Interpreter({
      tasks: this.runner,
      tokens: this.tokens,
      timeScale: options.timeScale,
      sleep: options.sleep,
    });
  }

  list(): StateMachine[] {
    return [...this.machines.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(arn: string): StateMachine {
    const machine = this.machines.get(arn);
    if (!machine) throw stateMachineDoesNotExist(arn);
    return machine;
  }

  find(arn: string): StateMachine | undefined {
    return this.machines.get(arn);
  }

  arnOf(name: string): string {
    return stateMachineArn(this.options, name);
  }

  create(machine: Omit<StateMachine, 'arn' | 'creationDate' | 'declared'>): StateMachine {
    checkName(machine.name);
    const arn = this.arnOf(machine.name);
    const existing = this.machines.get(arn);
    if (existing) {
      if (
        existing.definitionText === machine.definitionText &&
        existing.roleArn === machine.roleArn &&
        existing.type === machine.type
      ) {
        return existing;
      }
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const created: StateMachine = { ...machine, arn, creationDate: new Date(), declared: false };
    this.machines.set(arn, created);
    return created;
  }

  update(
    arn: string,
    changes: Partial<Pick<StateMachine, 'definition' | 'definitionText' | 'roleArn'>>,
  ): StateMachine {
    const machine = this.get(arn);
    Object.assign(machine, changes, { updateDate: new Date() });
    return machine;
  }

  delete(arn: string): void {
    this.machines.delete(arn);
  }

  /** StartExecution (and the `states` target, and nested executions). */
  start(arn: string, input: Json, name?: string): ExecutionRun {
    const machine = this.get(arn);
    const executionName = name ?? randomUUID();
    checkName(executionName);
    const executionArn =
      machine.type === 'EXPRESS'
        ? `arn:aws:states:${this.options.region}:${this.options.accountId}:express:${machine.name}:${executionName}:${randomUUID()}`
        : `arn:aws:states:${this.options.region}:${this.options.accountId}:execution:${machine.name}:${executionName}`;
    if (machine.type === 'STANDARD') {
      const existing = this.executions.get(executionArn);
      if (existing) {
        // Idempotent for a running execution started with the same input, as AWS is.
        if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input))
          return existing;
        throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      }
    }
    const run = new ExecutionRun(
      {
        executionArn,
        name: executionName,
        stateMachineArn: machine.arn,
        stateMachineName: machine.name,
        roleArn: machine.roleArn,
      },
      machine.definition,
      input,
    );
    if (machine.type === 'STANDARD') this.remember(machine, run);
    this.running.add(run);
    void this.interpreter.execute(run).finally(() => {
      this.running.delete(run);
      formatExecution(run).forEach((line) => this.options.log?.(line));
    });
    return run;
  }

  /** A STANDARD execution by its ARN; EXPRESS ones are not kept, as on AWS. */
  execution(arn: string): ExecutionRun {
    const run = this.executions.get(arn);
    if (!run) throw executionDoesNotExist(arn);
    return run;
  }

  executionsOf(machineArn: string): ExecutionRun[] {
    return [...(this.byMachine.get(machineArn) ?? [])].reverse();
  }

  private remember(machine: StateMachine, run: ExecutionRun): void {
    this.executions.set(run.identity.executionArn, run);
    const list = this.byMachine.get(machine.arn) ?? [];
    list.push(run);
    if (list.length > MAX_EXECUTIONS_PER_MACHINE) {
      const index = list.findIndex((old) => old.status !== 'RUNNING');
      if (index !== -1) {
        this.executions.delete(list[index]!.identity.executionArn);
        list.splice(index, 1);
      }
    }
    this.byMachine.set(machine.arn, list);
  }

  /** Stops every running execution (local-cloud is stopping) and the DynamoDB client. */
  async stop(): Promise<void> {
    const running = [...this.running];
    running.forEach((run) => run.stop('States.Aborted', 'local-cloud stopped'));
    await Promise.all(running.map((run) => run.done));
    this.runner.close();
  }
}

export function checkName(name: string): void {
  if (!NAME.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
}
