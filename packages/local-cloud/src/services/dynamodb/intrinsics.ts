// The few CloudFormation intrinsic functions whose value local-cloud can know without a stack: pseudo
// parameters (AWS::Region, AWS::AccountId, AWS::StackName, ...), and Fn::Sub / Fn::Join over them.
// `serverless print` has already resolved every ${self:...}, ${sls:...}, ${opt:...} variable; what is left
// are the functions CloudFormation itself would evaluate on deploy.

export interface PseudoParameters {
  region: string;
  accountId: string;
  /** `<service>-<stage>`, the framework's stack name. */
  stackName: string;
}

/** What an unresolvable value is: thrown by resolveString, caught by callers that name the resource. */
export class UnresolvableValueError extends Error {
  override readonly name = 'UnresolvableValueError';
}

export function pseudoParameter(name: string, pseudo: PseudoParameters): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return pseudo.region;
    case 'AWS::AccountId':
      return pseudo.accountId;
    case 'AWS::StackName':
      return pseudo.stackName;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    default:
      return undefined;
  }
}

/** The string a value stands for, or UnresolvableValueError naming what cannot be resolved. */
export function resolveString(value: unknown, pseudo: PseudoParameters): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (!isObject(value) || Object.keys(value).length !== 1) {
    throw new UnresolvableValueError(`${JSON.stringify(value)} is not a string`);
  }
  if ('Ref' in value && typeof value.Ref === 'string') {
    const resolved = pseudoParameter(value.Ref, pseudo);
    if (resolved === undefined) {
      throw new UnresolvableValueError(
        `{"Ref": "${value.Ref}"} refers to a resource or parameter that only exists once deployed`,
      );
    }
    return resolved;
  }
  if ('Fn::Sub' in value) return resolveSub(value['Fn::Sub'], pseudo);
  if ('Fn::Join' in value) {
    const args = value['Fn::Join'];
    if (Array.isArray(args) && typeof args[0] === 'string' && Array.isArray(args[1])) {
      return (args[1] as unknown[]).map((part) => resolveString(part, pseudo)).join(args[0]);
    }
    throw new UnresolvableValueError(`${JSON.stringify(value)} is not a valid Fn::Join`);
  }
  throw new UnresolvableValueError(
    `${Object.keys(value)[0]} cannot be evaluated without deploying (${JSON.stringify(value)})`,
  );
}

function resolveSub(args: unknown, pseudo: PseudoParameters): string {
  let template: unknown = args;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(args)) {
    template = args[0];
    variables = isObject(args[1]) ? args[1] : {};
  }
  if (typeof template !== 'string') {
    throw new UnresolvableValueError(`Fn::Sub needs a template string, got ${JSON.stringify(args)}`);
  }
  // ${!Literal} is Fn::Sub's escape for a literal ${Literal}.
  return template.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (name in variables) return resolveString(variables[name], pseudo);
    const resolved = pseudoParameter(name, pseudo);
    if (resolved === undefined) {
      throw new UnresolvableValueError(
        `Fn::Sub refers to ${whole}, which only exists once deployed (local-cloud knows \${AWS::Region}, \${AWS::AccountId}, \${AWS::StackName}, \${AWS::Partition})`,
      );
    }
    return resolved;
  });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
