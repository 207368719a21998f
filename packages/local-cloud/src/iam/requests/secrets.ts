// The IAM authorization requests one Secrets Manager call makes, as AWS evaluates them ("Actions, resources,
// and condition keys for AWS Secrets Manager", Service Authorization Reference): secret actions on the
// secret's ARN with secretsmanager:SecretId (and VersionId / VersionStage when given), ListSecrets on `*`.
// Secrets Manager's ARNs end in `-` and 6 random characters (`arn:aws:secretsmanager:...:secret:db-password-
// AbCdEf`), which is why policies name `secret:db-password-*`; local-cloud's secrets service derives the 6
// from the name (secrets-service.ts's arnSuffix, repeated here: it is not exported), and a SecretId given as a
// name or a partial ARN resolves to that same ARN. The input is what the service has at dispatch: the
// operation of `X-Amz-Target: secretsmanager.<Operation>` and the parsed JSON body.
import type { AuthorizationRequest } from '../policy-types';
import { secretArnSuffix } from '../../services/secrets/secret-arn-suffix';

type Target = { region: string; accountId: string };
type Input = Record<string, unknown>;

export function secretsAuthorizationRequests(
  operation: string,
  input: Input,
  target: Target,
): AuthorizationRequest[] {
  const action = `secretsmanager:${operation}`;
  switch (operation) {
    case 'ListSecrets':
    case 'GetRandomPassword':
      return [{ action, resource: '*', context: {} }];
    case 'CreateSecret':
      return [{ action, resource: secretArnOf(input.Name, target), context: {} }];
    case 'BatchGetSecretValue':
      // Each secret it returns is a GetSecretValue of its own.
      return [
        { action, resource: '*', context: {} },
        ...stringList(input.SecretIdList).map((id) =>
          secretRequest('secretsmanager:GetSecretValue', { SecretId: id }, target),
        ),
      ];
    default:
      return input.SecretId === undefined
        ? [{ action, resource: '*', context: {} }]
        : [secretRequest(action, input, target)];
  }
}

function secretRequest(action: string, input: Input, target: Target): AuthorizationRequest {
  const context: AuthorizationRequest['context'] = {};
  for (const [parameter, key] of [
    ['SecretId', 'secretsmanager:SecretId'],
    ['VersionId', 'secretsmanager:VersionId'],
    ['VersionStage', 'secretsmanager:VersionStage'],
  ] as const) {
    const value = input[parameter];
    if (typeof value === 'string') context[key] = value;
  }
  return { action, resource: secretArnOf(input.SecretId, target), context };
}

/** A SecretId (name, partial ARN or ARN) as the ARN local-cloud gives the secret. */
function secretArnOf(secretId: unknown, target: Target): string {
  if (typeof secretId !== 'string' || secretId === '') return '*';
  if (!secretId.startsWith('arn:')) {
    return `arn:aws:secretsmanager:${target.region}:${target.accountId}:secret:${withSuffix(secretId)}`;
  }
  const at = secretId.indexOf(':secret:');
  if (at === -1) return secretId;
  const tail = secretId.slice(at + ':secret:'.length);
  return isFullName(tail) ? secretId : `${secretId.slice(0, at)}:secret:${withSuffix(tail)}`;
}

/** `<name>-XXXXXX` whose six characters are the name's own suffix: a complete ARN's tail. */
function isFullName(tail: string): boolean {
  const name = tail.slice(0, -7);
  return tail.length > 7 && tail.charAt(tail.length - 7) === '-' && tail === withSuffix(name);
}

function withSuffix(name: string): string {
  return `${name}-${secretArnSuffix(name)}`;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
