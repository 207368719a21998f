// The IAM authorization requests one Lambda API call makes, as AWS evaluates them ("Actions, resources, and
// condition keys for AWS Lambda", Service Authorization Reference, and Lambda's "Fine-tuning the Resources and
// Conditions sections of policies"): function actions on the function's ARN, or on its version or alias ARN
// (`arn:aws:lambda:<region>:<account>:function:<name>:<qualifier>`) when the call names one; Invoke and
// InvokeWithResponseStream are lambda:InvokeFunction. The input is what the Invoke API has at dispatch: the
// operation its route serves and `{ FunctionName, Qualifier }` from the path and the query string.
import type { AuthorizationRequest } from '../policy-types';

type Target = { region: string; accountId: string };

export interface LambdaRequestInput {
  /** A name, a partial ARN (`123456789012:function:name`) or an ARN, each optionally `:<qualifier>`. */
  FunctionName?: string;
  /** `?Qualifier=`: a version or an alias; wins over one in FunctionName. */
  Qualifier?: string;
}

const ACTIONS: Record<string, string> = {
  Invoke: 'lambda:InvokeFunction',
  InvokeWithResponseStream: 'lambda:InvokeFunction',
};

/** Lambda's own pattern for FunctionName (the Invoke API reference), groups kept for the parts. */
const FUNCTION_NAME =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d{1}):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

export function lambdaAuthorizationRequests(
  operation: string,
  input: LambdaRequestInput,
  target: Target,
): AuthorizationRequest[] {
  const action =
    (Object.hasOwn(ACTIONS, operation) ? ACTIONS[operation] : undefined) ?? `lambda:${operation}`;
  const resource = input.FunctionName === undefined ? '*' : functionArn(input, target);
  return [{ action, resource, context: {} }];
}

function functionArn(input: LambdaRequestInput, target: Target): string {
  const match = FUNCTION_NAME.exec(input.FunctionName ?? '');
  if (!match) return '*';
  const [, region = target.region, accountId = target.accountId, name, nameQualifier] = match;
  const qualifier = input.Qualifier || nameQualifier;
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
}
