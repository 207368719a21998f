// Resolves the FunctionName of an Invoke request as Lambda does: a name, a partial ARN
// (`123456789012:function:name`) or a full ARN, each optionally ending in `:qualifier`, or a `?Qualifier=`.
// local-cloud runs only the code on disk, which is `$LATEST`; any other version or alias does not exist here.
import type { FunctionDefinition } from '../config/service-definition';
import type { LambdaService } from '../lambda/lambda-service';
import { ResourceNotFoundException, ValidationException } from './errors';

/** Lambda's own pattern for FunctionName, from its API reference. */
const FUNCTION_NAME_PATTERN =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?(([a-z]{2}(-gov)?-[a-z]+-\d{1}):)?((\d{12}):)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const LATEST = '$LATEST';

export function resolveFunction(
  lambda: LambdaService,
  functionName: string,
  qualifierParameter: string | undefined,
): FunctionDefinition {
  const match = FUNCTION_NAME_PATTERN.exec(functionName);
  if (!match) {
    throw new ValidationException(
      `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: ` +
        `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN.source.slice(1, -1)}`,
    );
  }
  const region = match[4] ?? lambda.region;
  const accountId = match[7] ?? lambda.accountId;
  const name = match[9] ?? '';
  const qualifier = qualifierParameter ?? match[11];
  const arn = `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
  const fn =
    region === lambda.region && accountId === lambda.accountId ? lambda.findFunction(name) : undefined;
  if (!fn || (qualifier !== undefined && qualifier !== LATEST)) throw new ResourceNotFoundException(arn);
  return fn;
}
