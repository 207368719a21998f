// The state machines a service declares, as a deployment creates them:
//
//   stepFunctions.stateMachines  the serverless-step-functions plugin's block: `definition` (an object), `name`
//                                (else CloudFormation's generated name), `type` EXPRESS or STANDARD, `id`; its
//                                logical id is the plugin's (`<Key>StepFunctionsStateMachine`, or the normalised
//                                `id`/`name`). `Fn::GetAtt: [hello, Arn]` may name a function by its key.
//   AWS::StepFunctions::StateMachine  Definition or DefinitionString (text, Fn::Sub, Fn::Join),
//                                DefinitionSubstitutions (`${name}` in the definition), StateMachineName,
//                                StateMachineType, RoleArn.
//
// CloudFormation references in a definition (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`) resolve to what
// local-cloud creates: functions, queues, topics, tables, buckets and the state machines themselves.
import type { ServiceDefinition } from '../../config/service-definition';
import {
  functionLogicalId,
  isRecord,
  resolveValue,
  type CloudFormationContext,
} from '../../cloudformation/values';
import { localResources, type ResolvedResource } from '../../platform/resolve-intrinsics';
import { queueReferences } from '../../cloudformation/queue-references';
import {
  STATE_MACHINE_RESOURCE_TYPE,
  stateMachineArn,
  stateMachineNames,
} from '../../cloudformation/state-machine-references';

export {
  STATE_MACHINE_RESOURCE_TYPE,
  stateMachineArn,
  stateMachineArnsByLogicalId,
} from '../../cloudformation/state-machine-references';
import type { Definition } from './interpreter';
import { textOf } from './paths';

export type MachineType = 'STANDARD' | 'EXPRESS';

export interface DeclaredStateMachine {
  logicalId: string;
  name: string;
  arn: string;
  type: MachineType;
  /** The definition with its references resolved. */
  definition: Definition;
  roleArn: string;
  /** Where it was declared, for messages: `stepFunctions.stateMachines.checkout` or `resources.Resources.X`. */
  declaredAt: string;
  /** References local-cloud could not resolve, and definitions it could not read: one line each. */
  problems: string[];
  /** `events:` of a plugin state machine (http, schedule, ...): not run by local-cloud. */
  events: string[];
}

interface Account {
  region: string;
  accountId: string;
}

interface Candidate {
  logicalId: string;
  name: string;
  type: MachineType;
  declaredAt: string;
  definition: unknown;
  substitutions: Record<string, unknown>;
  roleArn: unknown;
  events: string[];
  problems: string[];
}

function stateMachineCandidates(service: ServiceDefinition, account: Account): Candidate[] {
  const plugin = isRecord(service.stepFunctions) ? service.stepFunctions : {};
  const machines = isRecord(plugin.stateMachines) ? plugin.stateMachines : {};
  const resources = service.resources;
  return stateMachineNames(service, account).map(({ logicalId, name, pluginKey }): Candidate => {
    if (pluginKey !== undefined) {
      const value = machines[pluginKey] as Record<string, unknown>;
      return {
        logicalId,
        name,
        type: textOf(value.type ?? 'STANDARD').toUpperCase() === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
        declaredAt: `stepFunctions.stateMachines.${pluginKey}`,
        definition: value.definition,
        substitutions: isRecord(value.definitionSubstitutions) ? value.definitionSubstitutions : {},
        roleArn: value.role,
        events: Array.isArray(value.events)
          ? value.events.flatMap((event) => (isRecord(event) ? Object.keys(event) : []))
          : [],
        problems: [],
      };
    }
    const resource = resources[logicalId];
    const properties = isRecord(resource) && isRecord(resource.Properties) ? resource.Properties : {};
    return {
      logicalId,
      name,
      type:
        textOf(properties.StateMachineType ?? 'STANDARD').toUpperCase() === 'EXPRESS'
          ? 'EXPRESS'
          : 'STANDARD',
      declaredAt: `resources.Resources.${logicalId}`,
      definition: properties.Definition ?? properties.DefinitionString,
      substitutions: isRecord(properties.DefinitionSubstitutions) ? properties.DefinitionSubstitutions : {},
      roleArn: properties.RoleArn,
      events: [],
      problems: [],
    };
  });
}

export function declaredStateMachines(service: ServiceDefinition, account: Account): DeclaredStateMachine[] {
  const stackName = `${service.service}-${service.provider.stage}`;
  const names: CloudFormationContext = { ...account, stackName };
  const candidates = stateMachineCandidates(service, account);
  // What references in the definitions resolve to: the platform's resources, the queues, these machines.
  const resources: Record<string, ResolvedResource> = localResources({ service, ...account });
  const queues = queueReferences(service, account);
  for (const candidate of candidates) {
    const arn = stateMachineArn(account, candidate.name);
    resources[candidate.logicalId] = {
      type: STATE_MACHINE_RESOURCE_TYPE,
      ref: arn,
      attributes: { Arn: arn, Name: candidate.name },
    };
  }
  const byFunctionKey = (id: string) =>
    resources[id] ?? (service.functions[id] ? resources[functionLogicalId(id)] : undefined);
  const context: CloudFormationContext = {
    ...names,
    ref: (id) => byFunctionKey(id)?.ref ?? queues.ref?.(id),
    getAtt: (id, attribute) => byFunctionKey(id)?.attributes[attribute] ?? queues.getAtt?.(id, attribute),
  };

  return candidates.map((candidate) => {
    const problems = candidate.problems;
    const substitutions: Record<string, string> = {};
    for (const [key, value] of Object.entries(candidate.substitutions)) {
      const resolved = resolveValue(value, context);
      if ('value' in resolved) substitutions[key] = resolved.value;
      else problems.push(`DefinitionSubstitutions.${key}: ${resolved.unresolved}`);
    }
    // A DefinitionString written with Fn::Sub may name DefinitionSubstitutions too: they are found first.
    const withSubstitutions: CloudFormationContext = {
      ...context,
      ref: (id) => substitutions[id] ?? context.ref?.(id),
    };
    let definition: unknown = candidate.definition;
    if (!isRecord(definition) || isIntrinsicObject(definition)) {
      const text = resolveValue(definition, withSubstitutions);
      if ('unresolved' in text) {
        problems.push(`the definition: ${text.unresolved}`);
        definition = {};
      } else {
        try {
          definition = JSON.parse(substitute(text.value, substitutions)) as unknown;
        } catch (error) {
          problems.push(`the definition is not JSON: ${(error as Error).message}`);
          definition = {};
        }
      }
    } else {
      definition = resolveReferences(definition, context, substitutions, problems, '');
    }
    const role = resolveValue(candidate.roleArn, context);
    return {
      logicalId: candidate.logicalId,
      name: candidate.name,
      arn: stateMachineArn(account, candidate.name),
      type: candidate.type,
      definition: definition as Definition,
      roleArn:
        candidate.roleArn !== undefined && 'value' in role
          ? role.value
          : `arn:aws:iam::${account.accountId}:role/${stackName}-${account.region}-lambdaRole`,
      declaredAt: candidate.declaredAt,
      problems,
      events: candidate.events,
    };
  });
}

const INTRINSICS = new Set(['Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::ImportValue']);

function isIntrinsicObject(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0]!);
}

function substitute(text: string, substitutions: Record<string, string>): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => substitutions[name] ?? whole);
}

function resolveReferences(
  value: unknown,
  context: CloudFormationContext,
  substitutions: Record<string, string>,
  problems: string[],
  at: string,
): unknown {
  if (typeof value === 'string') {
    const text = Object.keys(substitutions).length > 0 ? substitute(value, substitutions) : value;
    // The plugin's pseudo parameters: `#{AWS::Region}`, `#{MyQueue}`, `#{MyQueue.Arn}`, as Fn::Sub reads them.
    if (!text.includes('#{')) return text;
    return text.replace(/#\{([^}]+)\}/g, (whole, name: string) => {
      const resolved = resolveValue({ 'Fn::Sub': `\${${name}}` }, context);
      if ('value' in resolved) return resolved.value;
      problems.push(`${at.slice(1) || 'the definition'}: ${whole} ${resolved.unresolved}`);
      return whole;
    });
  }
  if (Array.isArray(value))
    return value.map((item, index) =>
      resolveReferences(item, context, substitutions, problems, `${at}[${index}]`),
    );
  if (!isRecord(value)) return value;
  if (isIntrinsicObject(value)) {
    const resolved = resolveValue(value, context);
    if ('value' in resolved) return resolved.value;
    problems.push(`${at.slice(1) || 'the definition'}: ${resolved.unresolved}`);
    return JSON.stringify(value);
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      resolveReferences(item, context, substitutions, problems, `${at}.${key}`),
    ]),
  );
}
