// Step Functions as a platform service: the API on the edge (`states`); state machines from serverless.yml's
// `stepFunctions.stateMachines` and AWS::StepFunctions::StateMachine resources; Ref of a machine is its ARN,
// Fn::GetAtt gives Arn and Name; and a target for `arn:aws:states:...:stateMachine:x`, so EventBridge rules and
// Lambda destinations start executions (the message's body is the input, its name the execution's name).
import { ACCOUNT_ID } from '../../common/account';
import { serviceModule } from '../../platform/service-contract';
import { STATE_MACHINE_RESOURCE_TYPE } from './declared-machines';
import { SfnApiError } from './errors';
import type { Json } from './paths';
import { createStepFunctionsService } from './sfn-service';

/**
 * How fast Wait states, retry back-offs and task timeouts run: a definition's seconds take
 * `seconds × 1000 × timeScale` ms. 1 (real time) unless a test or benchmark sets it before starting local-cloud.
 */
export const stepFunctionsClock = { timeScale: 1 };

export const stepFunctionsModule = serviceModule({
  key: 'stepFunctions',
  emulates: { resources: [STATE_MACHINE_RESOURCE_TYPE] },
  start: (context) =>
    createStepFunctionsService({
      service: context.service,
      listener: context.edge.mount(['states']),
      host: context.host,
      credentials: context.credentials,
      authorizer: context.authorizer,
      region: context.region,
      accountId: ACCOUNT_ID,
      lambda: context.lambda,
      deliver: context.deliver,
      endpoint: () => ({ url: context.edge.url, credentials: context.credentials }),
      log: context.log,
      timeScale: stepFunctionsClock.timeScale,
    }),
  resources: (stepFunctions) =>
    Object.fromEntries(
      stepFunctions.declared.map((machine) => [
        machine.logicalId,
        {
          type: STATE_MACHINE_RESOURCE_TYPE,
          ref: machine.arn,
          attributes: { Arn: machine.arn, Name: machine.name },
        },
      ]),
    ),
  target: (stepFunctions) => ({
    arnService: 'states',
    deliver: (arn, message) => {
      try {
        let input: Json;
        try {
          input = JSON.parse(message.body) as Json;
        } catch {
          throw new SfnApiError(
            'InvalidExecutionInput',
            `Invalid State Machine Execution Input: the message is not JSON`,
          );
        }
        const run = stepFunctions.machines.start(arn, input, message.name);
        return Promise.resolve({ id: run.identity.executionArn });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  }),
  warnings: (stepFunctions) => stepFunctions?.warnings ?? [],
  // A row only for a service that declares state machines: most labs have none.
  summary: (stepFunctions) =>
    stepFunctions.declared.length === 0
      ? []
      : [
          {
            name: 'Step Functions',
            where: 'AWS endpoint',
            detail: `state machines ${stepFunctions.declared
              .map((machine) => `${machine.name}${machine.type === 'EXPRESS' ? ' (express)' : ''}`)
              .join(', ')}`,
          },
        ],
});
