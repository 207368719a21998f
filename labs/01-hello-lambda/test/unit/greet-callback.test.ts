import {
  apiGatewayEvent,
  createContext,
  invokeHandler,
  type ApiGatewayEventOptions,
} from '@serverless-course/test-kit';
import type { APIGatewayProxyCallback, APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handler } from '../../src/handlers/greet-callback';

function greetEvent(options: ApiGatewayEventOptions = {}): APIGatewayProxyEvent {
  return apiGatewayEvent({ method: 'GET', path: '/greet', ...options });
}

function bodyOf(response: APIGatewayProxyResult): unknown {
  return JSON.parse(response.body) as unknown;
}

describe('GET /greet, a callback-style handler', () => {
  it('answers through callback(null, response), once, and returns nothing itself', () => {
    const callback = jest.fn<void, Parameters<APIGatewayProxyCallback>>();

    const returned: unknown = handler(greetEvent({ body: { name: 'Ada' } }), createContext(), callback);

    expect(returned).toBeUndefined();
    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback).toHaveBeenCalledWith(null, expect.objectContaining({ statusCode: 200 }));
  });

  it('greets the name in a JSON body', async () => {
    const response = await invokeHandler(handler, greetEvent({ body: { name: 'Ada' } }), createContext());

    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
    expect(bodyOf(response)).toEqual({ message: 'Hello, Ada!' });
  });

  it('greets the world when there is no body and no name', async () => {
    const response = await invokeHandler(handler, greetEvent(), createContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ message: 'Hello, world!' });
  });

  it('greets the name in the query string when there is no body', async () => {
    const response = await invokeHandler(handler, greetEvent({ query: { name: 'Grace' } }), createContext());

    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ message: 'Hello, Grace!' });
  });

  it('answers 400 through callback(null, ...) when the body is not valid JSON', () => {
    const callback = jest.fn<void, Parameters<APIGatewayProxyCallback>>();

    handler(greetEvent({ body: '{"name": "Ada"' }), createContext(), callback);

    expect(callback).toHaveBeenCalledTimes(1);
    const [error, response] = callback.mock.calls[0] ?? [];
    expect(error).toBeNull();
    expect(response?.statusCode).toBe(400);
    expect(response?.headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json' }));
    expect(response?.body).toMatch(/JSON/);
  });

  it('returns 400 naming the problem when the name is too long, like GET /hello', async () => {
    const response = await invokeHandler(
      handler,
      greetEvent({ body: { name: 'A'.repeat(51) } }),
      createContext(),
    );

    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/name/i);
    expect(response.body).toContain('50');
  });

  it('returns 400 naming the allowed characters when the name has others, like GET /hello', async () => {
    const response = await invokeHandler(handler, greetEvent({ body: { name: 'Ada1' } }), createContext());

    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/letters/i);
  });

  it('fails the invocation with callback(error) when there is no event', async () => {
    const callback = jest.fn<void, Parameters<APIGatewayProxyCallback>>();

    handler(null, createContext(), callback);

    expect(callback).toHaveBeenCalledTimes(1);
    expect(callback.mock.calls[0]?.[0]).toBeInstanceOf(Error);
    await expect(invokeHandler(handler, null, createContext())).rejects.toThrow(/event/i);
  });

  it('fails the invocation when invoked directly with an object that is not an HTTP request', async () => {
    const notAnHttpRequest = {} as APIGatewayProxyEvent;

    await expect(invokeHandler(handler, notAnHttpRequest, createContext())).rejects.toThrow(/event/i);
  });
});
