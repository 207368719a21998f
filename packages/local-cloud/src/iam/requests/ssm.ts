// The IAM authorization requests one SSM Parameter Store call makes, as AWS evaluates them ("How Parameter
// Store authorizes parameter retrieval", and "Actions, resources, and condition keys for AWS Systems
// Manager"): GetParameter on the parameter's ARN, GetParameters on each one, GetParametersByPath on the path
// asked for (not on the parameters it returns). A parameter's ARN is `arn:aws:ssm:<region>:<account>:parameter`
// followed by its name with one leading slash (`/app/db` and `db` give `parameter/app/db` and `parameter/db`).
// The input is what local-cloud's SSM has at dispatch: the operation of `X-Amz-Target: AmazonSSM.<Operation>`
// and the parsed JSON body.
import type { AuthorizationRequest } from '../policy-types';

type Target = { region: string; accountId: string };
type Input = Record<string, unknown>;

export function ssmAuthorizationRequests(
  operation: string,
  input: Input,
  target: Target,
): AuthorizationRequest[] {
  const action = `ssm:${operation}`;
  switch (operation) {
    case 'GetParameters':
    case 'DeleteParameters': {
      const names = Array.isArray(input.Names) ? input.Names : [];
      return names.map((name) => ({ action, resource: parameterArn(name, target), context: {} }));
    }
    case 'GetParametersByPath':
      return [{ action, resource: parameterArn(input.Path, target), context: {} }];
    case 'DescribeParameters':
      return [{ action, resource: '*', context: {} }];
    default:
      return [
        { action, resource: input.Name === undefined ? '*' : parameterArn(input.Name, target), context: {} },
      ];
  }
}

/** A parameter (or path) named by name or by ARN; an ARN is kept as given. */
function parameterArn(nameOrArn: unknown, target: Target): string {
  if (typeof nameOrArn !== 'string' || nameOrArn === '') return '*';
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const name = nameOrArn.startsWith('/') ? nameOrArn.slice(1) : nameOrArn;
  return `arn:aws:ssm:${target.region}:${target.accountId}:parameter/${name}`;
}
