import { createRestApi } from '../../src/api-gateway/rest-api';
import { InvalidModelError } from '../../src/api-gateway/request-validation';
import { FakeLambdaService } from '../support/fake-lambda-service';
import { ok, rawRequest, startRestApi, type RunningRestApi } from './rest-api-harness';

/** A draft-04 model: `exclusiveMinimum` is a boolean there (a number from draft-06 on). */
const imageModel = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'NewImage',
  type: 'object',
  required: ['title'],
  properties: {
    title: { type: 'string', minLength: 1 },
    rating: { type: 'number', minimum: 0, exclusiveMinimum: true },
  },
  additionalProperties: false,
};

describe('request validation with request.schemas models', () => {
  let api: RunningRestApi;

  beforeAll(async () => {
    api = await startRestApi({
      createImage: {
        handler: ok,
        httpEvents: [{ method: 'POST', path: '/images', requestSchemas: { 'application/json': imageModel } }],
      },
      createAnything: {
        handler: ok,
        httpEvents: [{ method: 'POST', path: '/anything', requestSchemas: { $default: imageModel } }],
      },
      unvalidated: { handler: ok, httpEvents: [{ method: 'POST', path: '/free' }] },
    });
  });

  afterAll(() => api.close());

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${api.origin}/dev${path}`, { method: 'POST', headers: { 'Content-Type': contentType }, body });

  /** Sends the request and reports the answer and whether the function ran. */
  async function send(request: () => Promise<{ status: number; text: () => Promise<string> }>) {
    const before = api.lambda.invocations.length;
    const response = await request();
    return {
      status: response.status,
      body: await response.text(),
      invoked: api.lambda.invocations.length > before,
    };
  }

  it('lets a body that matches the model reach the function', async () => {
    const result = await send(() => post('/images', '{"title":"Sunset","rating":4}'));

    expect(result).toEqual({ status: 200, body: 'ok', invoked: true });
  });

  it('answers 400 Invalid request body without invoking the function when the body breaks the model', async () => {
    const before = api.lambda.invocations.length;

    const response = await post('/images', '{"rating":4}');

    expect(response.status).toBe(400);
    expect(await response.text()).toBe('{"message": "Invalid request body"}');
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(api.lambda.invocations.length).toBe(before);
    expect(api.logs.at(-1)).toContain(
      'Request body does not match model schema for content type application/json',
    );
  });

  it('answers 400 for a body that is not JSON', async () => {
    const result = await send(() => post('/images', 'title=Sunset'));

    expect(result).toEqual({ status: 400, body: '{"message": "Invalid request body"}', invoked: false });
  });

  it('validates with draft-04 semantics', async () => {
    const result = await send(() => post('/images', '{"title":"Sunset","rating":0}'));

    expect(result.status).toBe(400);
    expect(result.invoked).toBe(false);
  });

  it('validates an empty body as an empty object', async () => {
    const result = await send(() => post('/images', ''));

    expect(result).toMatchObject({ status: 400, invoked: false });
  });

  it('matches the model by media type, ignoring parameters such as charset', async () => {
    const result = await send(() => post('/images', '{"nope":true}', 'application/json; charset=utf-8'));

    expect(result).toMatchObject({ status: 400, invoked: false });
  });

  it('uses the application/json model when the request has no Content-Type', async () => {
    const before = api.lambda.invocations.length;

    const response = await rawRequest(api.port, {
      method: 'POST',
      path: '/dev/images',
      body: '{"nope":true}',
    });

    expect(response.status).toBe(400);
    expect(api.lambda.invocations.length).toBe(before);
  });

  it('does not validate a content type that has no model', async () => {
    const result = await send(() => post('/images', 'anything at all', 'text/plain'));

    expect(result).toEqual({ status: 200, body: 'ok', invoked: true });
  });

  it('applies the $default model to every content type', async () => {
    const result = await send(() => post('/anything', 'not json', 'text/plain'));

    expect(result).toMatchObject({ status: 400, invoked: false });
  });

  it('does not validate a route without models', async () => {
    const result = await send(() => post('/free', 'not json'));

    expect(result).toMatchObject({ status: 200, invoked: true });
  });
});

describe('request models API Gateway would refuse', () => {
  it('fail at creation, naming the route and the fix', () => {
    const lambda = new FakeLambdaService({
      createImage: {
        handler: ok,
        httpEvents: [
          { method: 'POST', path: '/images', requestSchemas: { 'application/json': { type: 'objekt' } } },
        ],
      },
    });

    const creating = () => createRestApi({ lambda, stage: 'dev', region: 'us-east-1', binaryMediaTypes: [] });

    expect(creating).toThrow(InvalidModelError);
    expect(creating).toThrow(/POST \/images \(function createImage\) \(application\/json\).*Fix the schema/);
  });
});
