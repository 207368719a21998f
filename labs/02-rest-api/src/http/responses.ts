// Every response this API sends: JSON, with CORS headers, and errors as { "message": "..." }.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from '../errors';
import { corsHeaders } from './cors';

export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong on our side. Try again in a moment; if it keeps failing, look at the function logs.';

/** A Lambda proxy response with a JSON body and the CORS headers for `allowedOrigin`. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  allowedOrigin: string,
): APIGatewayProxyResult {
  // BEGIN SOLUTION cors-and-errors
  // TODO(cors-and-errors): a string body of JSON, a JSON content type, and the CORS headers.
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...corsHeaders(allowedOrigin) },
    body: JSON.stringify(body),
  };
  // END SOLUTION
}

/**
 * Turns a thrown error into a response. An HttpError says its status and a message meant for the client.
 * Anything else is a bug or an outage: the client gets 500 and a generic message (the error's own text may
 * reveal table names or stack details), and the whole error goes to the log, where we can read it.
 */
export function errorResponse(
  error: unknown,
  allowedOrigin: string,
  log: (...data: unknown[]) => void = console.error,
): APIGatewayProxyResult {
  // BEGIN SOLUTION cors-and-errors
  // TODO(cors-and-errors): HttpError: its status and message; anything else: log it, answer 500, hide details.
  if (error instanceof HttpError) {
    return jsonResponse(error.statusCode, { message: error.message }, allowedOrigin);
  }
  log('Unhandled error', error);
  return jsonResponse(500, { message: INTERNAL_ERROR_MESSAGE }, allowedOrigin);
  // END SOLUTION
}
