import type { APIGatewayProxyHandler } from 'aws-lambda';
import { MAX_NAME_LENGTH, NAME_PATTERN, NAME_RULE } from '../greeting/name-rules';
import { jsonResponse } from '../http/json-response';

/**
 * GET /hello?name=Ada answers 200 {"message":"Hello, Ada!"}. API Gateway (REST API, Lambda proxy
 * integration) passes the whole HTTP request as the event and turns the returned object into the response.
 */
export const handler: APIGatewayProxyHandler = async (event) => {
  // BEGIN SOLUTION hello-handler
  // API Gateway sends `queryStringParameters: null`, not `{}`, when the URL has no query string.
  const name = (event.queryStringParameters?.name ?? '').normalize('NFC').trim();
  if (name === '') {
    return jsonResponse(200, { message: 'Hello, world!' });
  }
  const length = Array.from(name).length;
  if (length > MAX_NAME_LENGTH) {
    return jsonResponse(400, {
      message: `name is too long: ${length} characters, at most ${MAX_NAME_LENGTH} allowed. Send a shorter name, for example /hello?name=Ada.`,
    });
  }
  if (!NAME_PATTERN.test(name)) {
    const others = [...new Set(Array.from(name).filter((character) => !NAME_PATTERN.test(character)))];
    return jsonResponse(400, {
      message: `name may contain only ${NAME_RULE}, but has ${others.map((c) => JSON.stringify(c)).join(', ')}. Remove them, for example /hello?name=Ada.`,
    });
  }
  return jsonResponse(200, { message: `Hello, ${name}!` });
  // END SOLUTION
};
