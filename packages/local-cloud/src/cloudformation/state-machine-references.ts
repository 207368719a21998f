// The names and ARNs of a service's state machines as a deployment gives them, for Step Functions itself and for
// every part that names one by reference (an EventBridge target, a Lambda destination): the
// serverless-step-functions plugin's `stepFunctions.stateMachines` (logical id `<Key>StepFunctionsStateMachine`,
// or the normalised `id`/`name`; `name` or CloudFormation's generated name) and AWS::StepFunctions::StateMachine
// resources (`StateMachineName`, else `<LogicalId>-<suffix>`).
import type { ServiceDefinition } from '../config/service-definition';
import {
  generatedPhysicalName,
  isRecord,
  resolveValue,
  resourcesOfType,
  type CloudFormationContext,
} from './values';

export const STATE_MACHINE_RESOURCE_TYPE = 'AWS::StepFunctions::StateMachine';

interface Account {
  region: string;
  accountId: string;
}

export interface StateMachineName {
  logicalId: string;
  name: string;
  /** The plugin's entry (`checkout` of `stepFunctions.stateMachines.checkout`), for a machine declared there. */
  pluginKey?: string;
}

export function stateMachineArn(account: Account, name: string): string {
  return `arn:aws:states:${account.region}:${account.accountId}:stateMachine:${name}`;
}

/** The plugin's normalisation of a name into a logical id (the framework's function naming). */
function normalizedName(name: string): string {
  const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}`;
}

/** Every state machine the service declares, plugin's first, in the order they are written. */
export function stateMachineNames(service: ServiceDefinition, account: Account): StateMachineName[] {
  const stackName = `${service.service}-${service.provider.stage}`;
  const names: CloudFormationContext = { ...account, stackName };
  const generated = (logicalId: string) =>
    `${logicalId}-${generatedPhysicalName(stackName, logicalId).slice(-12)}`;
  const found: StateMachineName[] = [];
  const plugin = isRecord(service.stepFunctions) ? service.stepFunctions : {};
  const machines = isRecord(plugin.stateMachines) ? plugin.stateMachines : {};
  for (const [key, value] of Object.entries(machines)) {
    if (!isRecord(value)) continue;
    const custom =
      typeof value.id === 'string' ? value.id : typeof value.name === 'string' ? value.name : undefined;
    const logicalId = custom ? normalizedName(custom) : `${normalizedName(key)}StepFunctionsStateMachine`;
    found.push({
      logicalId,
      name: typeof value.name === 'string' ? value.name : generated(logicalId),
      pluginKey: key,
    });
  }
  for (const { logicalId, properties } of resourcesOfType(service.resources, STATE_MACHINE_RESOURCE_TYPE)) {
    const named = resolveValue(properties.StateMachineName, names);
    found.push({
      logicalId,
      name:
        properties.StateMachineName !== undefined && 'value' in named ? named.value : generated(logicalId),
    });
  }
  return found;
}

/** The ARN of each state machine the service declares, by logical id. */
export function stateMachineArnsByLogicalId(
  service: ServiceDefinition,
  account: Account,
): Record<string, string> {
  return Object.fromEntries(
    stateMachineNames(service, account).map(({ logicalId, name }) => [
      logicalId,
      stateMachineArn(account, name),
    ]),
  );
}
