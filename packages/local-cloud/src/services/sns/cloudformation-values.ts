// CloudFormation values as `serverless print` leaves them: plain strings, or intrinsic functions (`Ref`,
// `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`) that CloudFormation itself would resolve at deploy time. The local
// services resolve the ones that name resources they create (a topic's ARN, a function's ARN) and the
// pseudo parameters; anything else is reported as unresolvable rather than guessed.

export interface CloudFormationContext {
  region: string;
  accountId: string;
  /** `<service>-<stage>`, the framework's stack name. */
  stackName: string;
  /** The value of `Ref: logicalId` for a resource local-cloud knows, else undefined. */
  ref(logicalId: string): string | undefined;
  /** The value of `Fn::GetAtt: [logicalId, attribute]` for a resource local-cloud knows, else undefined. */
  getAtt(logicalId: string, attribute: string): string | undefined;
}

/** Resolves a CloudFormation value to a string, or undefined when it refers to something local-cloud lacks. */
export function resolveString(value: unknown, context: CloudFormationContext): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const [name] = keys as [string];
  const argument = value[name];
  switch (name) {
    case 'Ref':
      return typeof argument === 'string'
        ? (pseudoParameter(argument, context) ?? context.ref(argument))
        : undefined;
    case 'Fn::GetAtt': {
      const parts: unknown[] =
        typeof argument === 'string' ? splitOnce(argument, '.') : Array.isArray(argument) ? argument : [];
      const [logicalId, attribute] = parts;
      return typeof logicalId === 'string' && typeof attribute === 'string'
        ? context.getAtt(logicalId, attribute)
        : undefined;
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || typeof argument[0] !== 'string' || !Array.isArray(argument[1])) {
        return undefined;
      }
      const parts = (argument[1] as unknown[]).map((part) => resolveString(part, context));
      return parts.every((part) => part !== undefined) ? parts.join(argument[0]) : undefined;
    }
    case 'Fn::Sub':
      return substitute(argument, context);
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

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pseudoParameter(name: string, context: CloudFormationContext): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return context.region;
    case 'AWS::AccountId':
      return context.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return context.stackName;
    default:
      return undefined;
  }
}

function substitute(argument: unknown, context: CloudFormationContext): string | undefined {
  const parts: unknown[] =
    typeof argument === 'string' ? [argument, {}] : Array.isArray(argument) ? argument : [];
  const [template, variables] = parts;
  if (typeof template !== 'string' || !isRecord(variables)) return undefined;
  let unresolved = false;
  const result = template.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
    if (literal) return whole.replace('${!', '${');
    const value =
      name in variables
        ? resolveString(variables[name], context)
        : name.includes('.')
          ? resolveString({ 'Fn::GetAtt': name }, context)
          : resolveString({ Ref: name }, context);
    if (value === undefined) unresolved = true;
    return value ?? '';
  });
  return unresolved ? undefined : result;
}

function splitOnce(text: string, separator: string): string[] {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}
