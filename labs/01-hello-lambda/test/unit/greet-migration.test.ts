import {
  apiGatewayEvent,
  createContext,
  invokeHandler,
  type ApiGatewayEventOptions,
} from '@serverless-course/test-kit';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handler } from '../../src/handlers/greet';
import { handler as legacyHandler } from '../../src/legacy/greet-callback';

// Task callback-handler moves the legacy callback handler (src/legacy/greet-callback.ts) to an async one
// (src/handlers/greet.ts), because nodejs24.x refuses callback handlers. A migration must change nothing a
// caller sees: every request below gets the same answer from both, and what failed still fails.

function greetEvent(options: ApiGatewayEventOptions = {}): APIGatewayProxyEvent {
  return apiGatewayEvent({ method: 'GET', path: '/greet', ...options });
}

type Outcome = { answered: APIGatewayProxyResult } | { failed: string };

/** What a caller sees: the response, or the failed invocation's error message. */
async function outcomeOf(run: () => Promise<APIGatewayProxyResult>): Promise<Outcome> {
  try {
    return { answered: await run() };
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

const requests: [string, APIGatewayProxyEvent | null][] = [
  ['a name in a JSON body', greetEvent({ body: { name: 'Ada' } })],
  ['no body and no name', greetEvent()],
  ['a name in the query string', greetEvent({ query: { name: 'Grace' } })],
  ['a body name over a query name', greetEvent({ body: { name: 'Ada' }, query: { name: 'Grace' } })],
  [
    'a base64-encoded body',
    { ...greetEvent(), body: Buffer.from('{"name":"Lin"}').toString('base64'), isBase64Encoded: true },
  ],
  ['a body that is not valid JSON', greetEvent({ body: '{"name": "Ada"' })],
  ['a JSON body that is not an object', greetEvent({ body: '["Ada"]' })],
  ['a name that is not a string', greetEvent({ body: { name: 42 } })],
  ['a blank name', greetEvent({ body: { name: '   ' } })],
  ['a name that is too long', greetEvent({ body: { name: 'A'.repeat(51) } })],
  ['a name with characters not allowed', greetEvent({ body: { name: 'Ada1' } })],
  ['no event at all (a direct invoke with no payload)', null],
  ['an object that is not an HTTP request', {} as APIGatewayProxyEvent],
];

describe('GET /greet, moved from a callback handler to an async one', () => {
  it.each(requests)('answers %s exactly as the legacy callback handler did', async (_request, event) => {
    const legacy = await outcomeOf(() => invokeHandler(legacyHandler, event, createContext()));
    const migrated = await outcomeOf(() => handler(event, createContext()));

    expect(migrated).toEqual(legacy);
  });

  it('is a handler nodejs24.x accepts: async, finishing by its returned promise, with no callback', async () => {
    // nodejs24.x refuses, at init, a handler that takes three parameters and is not async.
    expect(handler.constructor.name).toBe('AsyncFunction');
    expect(handler.length).toBeLessThan(3);

    const response = await handler(greetEvent({ body: { name: 'Ada' } }), createContext());

    expect(response).toMatchObject({ statusCode: 200, body: JSON.stringify({ message: 'Hello, Ada!' }) });
  });

  it('keeps a bad request a successful invocation: it resolves with a 400 response, never rejects', async () => {
    const response = await handler(greetEvent({ body: '{"name": "Ada"' }), createContext());

    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
  });

  it('keeps a broken invocation a failed one: with no event it rejects, as callback(error) failed it', async () => {
    await expect(handler(null, createContext())).rejects.toThrow(/API Gateway proxy event/);
  });
});
