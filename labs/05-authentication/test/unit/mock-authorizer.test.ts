import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { handler, MOCK_TOKEN, MOCK_USER_ID } from '../../src/handlers/mock-authorizer';

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/mock/me';

function tokenEvent(authorizationToken: string): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken, methodArn: METHOD_ARN };
}

describe('the mock authorizer', () => {
  it('allows the fixed token for the whole API, as the mock user', async () => {
    const result = await handler(tokenEvent(MOCK_TOKEN));

    expect(result).toEqual({
      principalId: MOCK_USER_ID,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/*',
          },
        ],
      },
      context: { userId: MOCK_USER_ID },
    });
  });

  it.each(['', 'Bearer let-me-out', 'let-me-in', 'Bearer let-me-in ', 'bearer LET-ME-IN'])(
    'refuses %j with Unauthorized (401)',
    async (token) => {
      await expect(handler(tokenEvent(token))).rejects.toThrow(/^Unauthorized$/);
    },
  );
});
