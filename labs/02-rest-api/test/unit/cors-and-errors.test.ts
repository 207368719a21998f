import { apiGatewayEvent, createContext, invokeHandler } from '@serverless-course/test-kit';
import { ConflictError, HttpError, ValidationError } from '../../src/errors';
import { corsHeaders } from '../../src/http/cors';
import { httpHandler } from '../../src/http/http-handler';
import { errorResponse, INTERNAL_ERROR_MESSAGE, jsonResponse } from '../../src/http/responses';

const SITE = 'https://udagram.example.com';

describe('corsHeaders', () => {
  it('lets any origin read the response when the API allows *', () => {
    expect(corsHeaders('*')).toEqual({ 'Access-Control-Allow-Origin': '*' });
  });

  it('names the one allowed origin, and tells caches that the answer depends on Origin', () => {
    expect(corsHeaders(SITE)).toEqual({ 'Access-Control-Allow-Origin': SITE, Vary: 'Origin' });
  });
});

describe('jsonResponse', () => {
  it('answers with the status, a JSON string body, a JSON content type and the CORS headers', () => {
    const response = jsonResponse(201, { id: 'g1' }, '*');

    expect(response).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
      body: '{"id":"g1"}',
    });
  });
});

describe('errorResponse', () => {
  it.each([
    [new ValidationError('limit must be a whole number. Send ?limit=20.'), 400],
    [new ConflictError('A group with id g1 already exists. Send the request again.'), 409],
    [new HttpError(418, 'I am a teapot. Ask for coffee elsewhere.'), 418],
  ])('answers %p with its status and its message as JSON', (error, statusCode) => {
    const response = errorResponse(error, '*', jest.fn());

    expect(response.statusCode).toBe(statusCode);
    expect(JSON.parse(response.body)).toEqual({ message: error.message });
    expect(response.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
    });
  });

  it('answers 500 with a generic message for any other error, and logs the error itself', () => {
    const log = jest.fn();
    const error = new Error('Requested resource not found: Table: rest-api-groups-dev not found');

    const response = errorResponse(error, SITE, log);

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: INTERNAL_ERROR_MESSAGE });
    expect(response.body).not.toContain('rest-api-groups-dev');
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': SITE });
    expect(log).toHaveBeenCalledWith(expect.any(String), error);
  });

  it('answers 500 for something thrown that is not even an Error', () => {
    const response = errorResponse('a string', '*', jest.fn());

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: INTERNAL_ERROR_MESSAGE });
  });
});

describe('httpHandler', () => {
  const event = apiGatewayEvent({ method: 'GET', path: '/groups' });

  it("turns the work's result into a JSON response with CORS headers", async () => {
    const handler = httpHandler(async () => ({ statusCode: 200, body: { items: [] } }), '*');

    const response = await invokeHandler(handler, event, createContext());

    expect(response).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' },
      body: '{"items":[]}',
    });
  });

  it('turns a thrown ValidationError into 400 with its message and CORS headers', async () => {
    const handler = httpHandler(async () => {
      throw new ValidationError('name must not be empty. Send a name.');
    }, '*');

    const response = await invokeHandler(handler, event, createContext());

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message: 'name must not be empty. Send a name.' });
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
  });

  it('never lets an error escape: API Gateway would answer 502 without CORS headers', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = httpHandler(async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    }, '*');

    const response = await invokeHandler(handler, event, createContext());

    expect(response.statusCode).toBe(500);
    expect(response.headers).toMatchObject({ 'Access-Control-Allow-Origin': '*' });
  });
});
