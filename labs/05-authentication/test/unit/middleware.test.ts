// httpApi(), the middy stack every route shares, around a handler that echoes what it received or throws
// what it is told to.
import { apiGatewayEvent, createContext } from '@serverless-course/test-kit';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError } from '../../src/http/errors';
import { jsonResponse } from '../../src/http/json-response';
import { httpApi, INTERNAL_ERROR_MESSAGE, type ApiEvent } from '../../src/http/middleware';

const titleSchema = {
  type: 'object',
  required: ['title'],
  properties: { title: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};

const echo = httpApi<{ title: string }>(async (event) => jsonResponse(200, { received: event.body }), {
  bodySchema: titleSchema,
});

function post(body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  return apiGatewayEvent({ method: 'POST', path: '/images', body, headers });
}

async function call(handler: typeof echo, event: APIGatewayProxyEvent) {
  const response = await handler(event, createContext());
  return {
    ...response,
    json: JSON.parse(response.body || 'null') as { message?: string } & Record<string, unknown>,
  };
}

beforeEach(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

describe('the middleware', () => {
  it('hands the handler the parsed JSON body', async () => {
    const response = await call(echo, post({ title: 'Sunset' }));

    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ received: { title: 'Sunset' } });
  });

  it('accepts the Content-Type header in any case, as HTTP header names are case-insensitive', async () => {
    const response = await call(
      echo,
      post({ title: 'Sunset' }, { 'CONTENT-TYPE': 'application/json; charset=utf-8' }),
    );

    expect(response.statusCode).toBe(200);
  });

  it('answers 400 with a JSON message when the body is not valid JSON', async () => {
    const response = await call(echo, post('{"title": "Sun'));

    expect(response.statusCode).toBe(400);
    expect(response.headers?.['Content-Type']).toBe('application/json');
    expect(response.json.message).toMatch(/not valid JSON.*Send/);
  });

  it('answers 415 when the body is not sent as JSON', async () => {
    const response = await call(
      echo,
      post('title=Sunset', { 'Content-Type': 'application/x-www-form-urlencoded' }),
    );

    expect(response.statusCode).toBe(415);
    expect(response.json.message).toMatch(/Content-Type: application\/json/);
  });

  it.each([
    ['without the required title', {}, /title/],
    ['with an empty title', { title: '' }, /title/],
    ['with a field the API does not know', { title: 'Sunset', userId: 'mallory' }, /additional/],
  ])('answers 400 naming the problem for a body %s', async (_case, body, problem) => {
    const response = await call(echo, post(body));

    expect(response.statusCode).toBe(400);
    expect(response.json.message).toMatch(problem);
  });

  it('turns a thrown HttpError into its status and a JSON message', async () => {
    const forbidden = httpApi(async () => {
      throw new ForbiddenError('Image 1 belongs to another user. Change one of your own images.');
    });

    const response = await call(forbidden, apiGatewayEvent({ method: 'PATCH', path: '/images/1' }));

    expect(response.statusCode).toBe(403);
    expect(response.json).toEqual({
      message: 'Image 1 belongs to another user. Change one of your own images.',
    });
  });

  it('answers 500 without details for an unexpected error, and logs it', async () => {
    const failing = httpApi(async (_event: ApiEvent) => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:8000 (table secret-internal-name)');
    });

    const response = await call(failing, apiGatewayEvent());

    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({ message: INTERNAL_ERROR_MESSAGE });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(console.error).toHaveBeenCalled();
  });

  it('adds CORS headers to successful and to error responses', async () => {
    const ok = await call(echo, post({ title: 'Sunset' }));
    const bad = await call(echo, post('{'));

    expect(ok.headers?.['Access-Control-Allow-Origin']).toBe('*');
    expect(bad.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  // BEGIN HIDDEN TESTS
  it('does not parse or require a body on routes without a body schema', async () => {
    const noBody = httpApi(async (event) => jsonResponse(200, { body: event.body }));

    const response = await call(noBody, apiGatewayEvent({ method: 'GET', path: '/images/1' }));

    expect(response.json).toEqual({ body: null });
  });
  // END HIDDEN TESTS
});
