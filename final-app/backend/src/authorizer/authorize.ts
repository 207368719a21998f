// The API's custom TOKEN authorizer: `Authorization: Bearer <JWT>` verified against the issuer's keys.
// A valid token gets an Allow for the whole API, because API Gateway caches the answer by token (300 s)
// and a policy naming only this method would deny the user's next request to any other method. Anything
// else is `Unauthorized` (API Gateway answers 401).
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { TokenVerifier, tokenSettingsFromEnvironment } from './token-verifier';

let verifier: TokenVerifier | undefined;

export async function handler(event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = /^Bearer ([^\s]+)$/i.exec(event.authorizationToken ?? '')?.[1];
  if (!token) throw new Error('Unauthorized');
  let userId: string;
  try {
    verifier ??= new TokenVerifier(tokenSettingsFromEnvironment());
    userId = await verifier.verify(token);
  } catch (error) {
    // The reason stays in the logs; the client learns only that the token was refused.
    console.warn(`Token refused: ${(error as Error).message}`);
    throw new Error('Unauthorized');
  }
  return {
    principalId: userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: wholeApi(event.methodArn) }],
    },
    context: { userId },
  };
}

/** `arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{method}/{path}` -> `.../{api-id}/{stage}/*`. */
export function wholeApi(methodArn: string): string {
  const [apiPart = methodArn, stage = '*'] = methodArn.split('/');
  return `${apiPart}/${stage}/*`;
}
