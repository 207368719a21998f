// CloudFormation values as `serverless print` leaves them: plain strings, or the intrinsic functions
// CloudFormation itself evaluates at deploy time (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`). local-cloud
// resolves the pseudo parameters (AWS::Region, AWS::AccountId, ...) and, where the caller knows them, the
// resources it creates (a topic's ARN, a table's name); anything else is reported with the reason, never
// guessed. One resolver for every service: each says what it knows through the context.
import { isRecord } from '../common/records';

export { isRecord };

export interface PseudoParameters {
  region: string;
  accountId: string;
  /** `<service>-<stage>`, the framework's stack name. */
  stackName: string;
}

export interface CloudFormationContext extends PseudoParameters {
  /** The value of `Ref: logicalId` for a resource local-cloud knows, else undefined. */
  ref?(logicalId: string): string | undefined;
  /** The value of `Fn::GetAtt: [logicalId, attribute]` for a resource local-cloud knows, else undefined. */
  getAtt?(logicalId: string, attribute: string): string | undefined;
}

/** What a value stands for, or why local-cloud cannot know it without a deployment. */
export type Resolution = { value: string } | { unresolved: string };

/** What an unresolvable value is, for callers that throw: its message is the reason. */
export class UnresolvableValueError extends Error {
  override readonly name = 'UnresolvableValueError';
}

export function resolveValue(value: unknown, context: CloudFormationContext): Resolution {
  if (typeof value === 'string') return { value };
  if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
  if (!isRecord(value) || Object.keys(value).length !== 1) {
    return { unresolved: `${JSON.stringify(value)} is not a string` };
  }
  const [name] = Object.keys(value) as [string];
  const argument = value[name];
  switch (name) {
    case 'Ref': {
      const resolved =
        typeof argument === 'string'
          ? (pseudoParameter(argument, context) ?? context.ref?.(argument))
          : undefined;
      return resolved !== undefined
        ? { value: resolved }
        : {
            unresolved: `{"Ref": ${JSON.stringify(argument)}} refers to a resource or parameter that only exists once deployed`,
          };
    }
    case 'Fn::GetAtt': {
      const parts: unknown[] =
        typeof argument === 'string' ? splitOnce(argument, '.') : Array.isArray(argument) ? argument : [];
      const [logicalId, attribute] = parts;
      const resolved =
        typeof logicalId === 'string' && typeof attribute === 'string'
          ? context.getAtt?.(logicalId, attribute)
          : undefined;
      return resolved !== undefined
        ? { value: resolved }
        : { unresolved: `${JSON.stringify(value)} refers to an attribute that only exists once deployed` };
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || typeof argument[0] !== 'string' || !Array.isArray(argument[1])) {
        return { unresolved: `${JSON.stringify(value)} is not a valid Fn::Join` };
      }
      const parts: string[] = [];
      for (const part of argument[1] as unknown[]) {
        const resolved = resolveValue(part, context);
        if ('unresolved' in resolved) return resolved;
        parts.push(resolved.value);
      }
      return { value: parts.join(argument[0]) };
    }
    case 'Fn::Sub':
      return substitute(argument, context);
    default:
      return { unresolved: `${name} cannot be evaluated without deploying (${JSON.stringify(value)})` };
  }
}

/** The string a value stands for, or undefined when it refers to something local-cloud lacks. */
export function resolveString(value: unknown, context: CloudFormationContext): string | undefined {
  const resolved = resolveValue(value, context);
  return 'value' in resolved ? resolved.value : undefined;
}

/** The string a value stands for; UnresolvableValueError with the reason when local-cloud cannot know it. */
export function resolveOrThrow(value: unknown, context: CloudFormationContext): string {
  const resolved = resolveValue(value, context);
  if ('unresolved' in resolved) throw new UnresolvableValueError(resolved.unresolved);
  return resolved.value;
}

export function pseudoParameter(name: string, pseudo: PseudoParameters): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return pseudo.stackName;
    default:
      return undefined;
  }
}

/** `Type` and `Properties` of each resource of a CloudFormation `Resources` map, for one resource type. */
export function resourcesOfType(
  resources: Record<string, unknown>,
  type: string,
): { logicalId: string; properties: Record<string, unknown> }[] {
  return Object.entries(resources).flatMap(([logicalId, resource]) =>
    isRecord(resource) && resource.Type === type
      ? [{ logicalId, properties: isRecord(resource.Properties) ? resource.Properties : {} }]
      : [],
  );
}

/**
 * The name CloudFormation gives a resource declared without one: `<stack>-<LogicalId>-<12 characters>`. The
 * suffix is random on AWS; here it is derived from the stack and logical id so it is the same on every start.
 */
export function generatedPhysicalName(stackName: string, logicalId: string): string {
  let hash = 2166136261;
  for (const char of `${stackName}/${logicalId}`) {
    hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let suffix = '';
  for (let i = 0; i < 12; i += 1) {
    hash = Math.imul(hash ^ i, 16777619) >>> 0;
    suffix += alphabet[hash % alphabet.length];
  }
  return `${stackName}-${logicalId}-${suffix}`;
}

/** The framework's logical id for a function: `hello-world` is `HelloDashworldLambdaFunction`. */
export function functionLogicalId(functionKey: string): string {
  const normalized = functionKey.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

function substitute(argument: unknown, context: CloudFormationContext): Resolution {
  const parts: unknown[] =
    typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) ? argument : [];
  const [template, variables = {}] = parts;
  if (typeof template !== 'string' || !isRecord(variables)) {
    return { unresolved: `Fn::Sub needs a template string, got ${JSON.stringify(argument)}` };
  }
  let unresolved: string | undefined;
  // ${!Literal} is Fn::Sub's escape for a literal ${Literal}.
  const value = template.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
    if (literal) return `\${${name}}`;
    const resolved =
      name in variables
        ? resolveValue(variables[name], context)
        : name.includes('.')
          ? resolveValue({ 'Fn::GetAtt': name }, context)
          : resolveValue({ Ref: name }, context);
    if ('value' in resolved) return resolved.value;
    unresolved ??= `Fn::Sub refers to ${whole}, which only exists once deployed (local-cloud knows \${AWS::Region}, \${AWS::AccountId}, \${AWS::StackName}, \${AWS::Partition})`;
    return '';
  });
  return unresolved === undefined ? { value } : { unresolved };
}

function splitOnce(text: string, separator: string): string[] {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}
