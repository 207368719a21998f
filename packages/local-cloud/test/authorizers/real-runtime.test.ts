// Authorizer functions in real Lambda sandboxes: the error the runtime reports for `throw new
// Error('Unauthorized')` and for the blueprints' `callback('Unauthorized')` must both read as API Gateway's 401.
import path from 'node:path';
import { AuthorizerRunner } from '../../src/authorizers/authorizer-runner';
import { createLambdaService, type LocalLambdaService } from '../../src/lambda/create-lambda-service';
import { serviceDefinition } from '../support/function-definition';
import { restRequest, tokenAuthorizer } from './support/authorizer-fixtures';

const SERVICE_PATH = path.resolve(__dirname, '../fixtures/authorizers/authorizer-service');

const service = serviceDefinition({
  service: 'authorizer-runtime',
  servicePath: SERVICE_PATH,
  functions: {
    tokenAuthorizer: { handler: 'src/token-authorizer.handler', memorySize: 256 },
    // Callback handlers run on nodejs22.x at most: nodejs24.x refuses them.
    callbackAuthorizer: {
      handler: 'src/callback-authorizer.handler',
      memorySize: 256,
      runtime: 'nodejs22.x',
    },
  },
});

let lambda: LocalLambdaService;
let runner: AuthorizerRunner;
const logs: string[] = [];

beforeAll(async () => {
  lambda = await createLambdaService(service, {});
  runner = new AuthorizerRunner({ lambda, log: (line) => logs.push(line) });
});

afterAll(async () => {
  await lambda.stop();
});

const ask = (functionKey: string, token: string) =>
  runner.authorize(
    tokenAuthorizer(functionKey, { resultTtlInSeconds: 0 }),
    restRequest('GET', '/groups', { headers: { Authorization: `Bearer ${token}` } }),
  );

describe('authorizers running in Lambda sandboxes', () => {
  it('allows with the principal and context the handler returned', async () => {
    expect(await ask('tokenAuthorizer', 'ok')).toMatchObject({
      allowed: true,
      principalId: 'alice',
      context: { role: 'admin', level: 3 },
    });
  });

  it('answers 401 for throw new Error("Unauthorized") and for callback("Unauthorized")', async () => {
    const thrown = await ask('tokenAuthorizer', 'unauthorized');
    const calledBack = await ask('callbackAuthorizer', 'anything');

    expect(thrown).toMatchObject({ allowed: false, statusCode: 401, body: '{"message":"Unauthorized"}' });
    expect(calledBack).toMatchObject({ allowed: false, statusCode: 401, body: '{"message":"Unauthorized"}' });
  });

  it('answers 403 for a Deny and 500 for any other error, logging the error', async () => {
    const denied = await ask('tokenAuthorizer', 'deny');
    const crashed = await ask('tokenAuthorizer', 'crash');

    expect(denied).toMatchObject({ allowed: false, statusCode: 403 });
    expect(crashed).toMatchObject({ allowed: false, statusCode: 500, body: '{"message":null}' });
    expect(logs.at(-1)).toContain('the authorizer failed with Error: the user table is unreachable');
  });
});
