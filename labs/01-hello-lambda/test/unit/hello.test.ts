import { apiGatewayEvent, createContext, invokeHandler } from '@serverless-course/test-kit';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { MAX_NAME_LENGTH } from '../../src/greeting/name-rules';
import { handler } from '../../src/handlers/hello';

function getHello(query?: Record<string, string>): Promise<APIGatewayProxyResult> {
  const event = apiGatewayEvent({ method: 'GET', path: '/hello', query });
  return invokeHandler(handler, event, createContext({ functionName: 'hello', memoryLimitInMB: 128 }));
}

function bodyOf(response: APIGatewayProxyResult): unknown {
  return JSON.parse(response.body) as unknown;
}

/** The text of an error body, whatever its field names: the tests only ask that it explains itself. */
function explanationIn(response: APIGatewayProxyResult): string {
  expect(bodyOf(response)).toEqual(expect.any(Object));
  return response.body;
}

describe('GET /hello', () => {
  it('greets the name given in the query string', async () => {
    const response = await getHello({ name: 'Ada' });

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ message: 'Hello, Ada!' });
  });

  it('answers with a JSON content type and a string body', async () => {
    const response = await getHello({ name: 'Ada' });

    expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
    expect(typeof response.body).toBe('string');
  });

  it('greets the world when the request has no query string at all (queryStringParameters is null)', async () => {
    const event = apiGatewayEvent({ method: 'GET', path: '/hello' });
    expect(event.queryStringParameters).toBeNull();

    const response = await invokeHandler(handler, event, createContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ message: 'Hello, world!' });
  });

  it('greets the world when the query string has other parameters but no name', async () => {
    const response = await getHello({ lang: 'en' });

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ message: 'Hello, world!' });
  });

  it.each(["O'Brien", 'Jean-Luc', 'Mary Ann', 'Zoë', 'Ángel'])('accepts the name %s', async (name) => {
    const response = await getHello({ name });

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ message: `Hello, ${name}!` });
  });

  it(`accepts a name of exactly ${MAX_NAME_LENGTH} letters`, async () => {
    const name = 'A'.repeat(MAX_NAME_LENGTH);

    const response = await getHello({ name });

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ message: `Hello, ${name}!` });
  });

  it('returns 400 naming the problem and the limit when the name is too long', async () => {
    const response = await getHello({ name: 'A'.repeat(MAX_NAME_LENGTH + 1) });

    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
    const explanation = explanationIn(response);
    expect(explanation).toMatch(/name/i);
    expect(explanation).toContain(String(MAX_NAME_LENGTH));
  });

  it.each(['Ada1', '<script>', 'Ada!', 'R2-D2'])(
    'returns 400 saying which characters are allowed when the name is %s',
    async (name) => {
      const response = await getHello({ name });

      expect(response.statusCode).toBe(400);
      const explanation = explanationIn(response);
      expect(explanation).toMatch(/name/i);
      expect(explanation).toMatch(/letters/i);
    },
  );

  it('does not greet an invalid name', async () => {
    const response = await getHello({ name: '<script>' });

    expect(response.body).not.toContain('Hello, <script>');
  });
});
