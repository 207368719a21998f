// POST /2015-03-31/functions/{FunctionName}/invocations: Lambda's Invoke operation, as @aws-sdk/client-lambda
// calls it. The invocation type picks the answer: RequestResponse runs the function and returns its result
// (200, even when the function failed), Event queues it (202), DryRun only validates (204).
import type { LambdaOperation } from './invoke-api';
import type { Request, RequestHandler, Response } from 'express';
import {
  ASYNC_PAYLOAD_LIMIT_BYTES,
  FunctionNotFoundError,
  RequestTooLargeError,
  SYNC_PAYLOAD_LIMIT_BYTES,
  TooManyRequestsError,
  type InvokeResult,
  type LambdaService,
} from '../lambda/lambda-service';
import type { AsyncQueue } from './invoke-api';
import {
  AwsApiError,
  InvalidRequestContentException,
  RequestEntityTooLargeException,
  ResourceNotFoundException,
  TooManyRequestsException,
  ValidationException,
  sendAwsError,
} from './errors';
import { resolveFunction } from './function-name';
import { readBody } from '../protocol/read-body';
import { requestIdOf } from './request-id';
import type { SignedRequest } from '../protocol/sigv4';

export const INVOKE_PATH = '/2015-03-31/functions/:FunctionName/invocations';
/** `LogType: Tail` returns this much of the end of the invocation's log. */
export const LOG_TAIL_BYTES = 4 * 1024;

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
const LOG_TYPES = ['Tail', 'None'] as const;

export interface InvokeRouteOptions {
  lambda: LambdaService;
  queue: AsyncQueue;
  verifySignature: (request: SignedRequest, operation: LambdaOperation) => Promise<void>;
}

export function invokeRoute(options: InvokeRouteOptions): RequestHandler<{ FunctionName: string }> {
  return async (req, res) => {
    try {
      await invoke(options, req, res);
    } catch (error) {
      if (!(error instanceof AwsApiError)) throw error;
      sendAwsError(res, error);
    }
  };
}

async function invoke(
  { lambda, queue, verifySignature }: InvokeRouteOptions,
  req: Request<{ FunctionName: string }>,
  res: Response,
): Promise<void> {
  const body = await readBody(req, SYNC_PAYLOAD_LIMIT_BYTES);
  if (body.size > SYNC_PAYLOAD_LIMIT_BYTES) throw requestTooLarge(SYNC_PAYLOAD_LIMIT_BYTES);
  const qualifier = typeof req.query.Qualifier === 'string' ? req.query.Qualifier : undefined;
  await verifySignature(
    { method: req.method, url: req.originalUrl, headers: req.headers, body: body.bytes },
    { name: 'Invoke', FunctionName: req.params.FunctionName, ...(qualifier && { Qualifier: qualifier }) },
  );

  const invocationType =
    enumHeader(req, 'x-amz-invocation-type', 'invocationType', INVOCATION_TYPES) ?? 'RequestResponse';
  const logType = enumHeader(req, 'x-amz-log-type', 'logType', LOG_TYPES) ?? 'None';
  const fn = resolveFunction(lambda, req.params.FunctionName, qualifier);
  const payload = parsePayload(body.bytes);
  const clientContext = req.get('x-amz-client-context');
  const requestId = requestIdOf(res);

  switch (invocationType) {
    case 'DryRun':
      res.status(204).end();
      return;
    case 'Event':
      if (body.size > ASYNC_PAYLOAD_LIMIT_BYTES) {
        throw new RequestEntityTooLargeException(
          `${body.size} byte payload is too large for the Event invocation type (limit ${ASYNC_PAYLOAD_LIMIT_BYTES} bytes)`,
        );
      }
      queue.enqueue({ requestId, fn, payload, clientContext });
      res.status(202).end();
      return;
    case 'RequestResponse': {
      const result = await invokeSync(lambda, { functionName: fn.key, payload, clientContext, requestId });
      res.status(200).set({ 'X-Amz-Executed-Version': '$LATEST', 'Content-Type': 'application/json' });
      if (result.functionError) res.set('X-Amz-Function-Error', result.functionError);
      if (logType === 'Tail') res.set('X-Amz-Log-Result', logTail(result.logs));
      res.send(Buffer.from(result.payload));
    }
  }
}

async function invokeSync(
  lambda: LambdaService,
  request: Parameters<LambdaService['invoke']>[0],
): Promise<Pick<InvokeResult, 'payload' | 'functionError' | 'logs'>> {
  try {
    return await lambda.invoke(request);
  } catch (error) {
    if (error instanceof TooManyRequestsError) throw new TooManyRequestsException(error.reason);
    if (error instanceof FunctionNotFoundError) {
      throw new ResourceNotFoundException(
        `arn:aws:lambda:${lambda.region}:${lambda.accountId}:function:${error.functionName}`,
      );
    }
    if (error instanceof RequestTooLargeError && error.direction === 'request') {
      throw requestTooLarge(error.limitBytes);
    }
    if (error instanceof RequestTooLargeError) {
      // AWS reports an oversized result as a function error of the call, not as an error of the API.
      return {
        functionError: 'Unhandled',
        payload: JSON.stringify({ errorMessage: error.message, errorType: 'Function.ResponseSizeTooLarge' }),
        logs: '',
      };
    }
    throw error;
  }
}

function requestTooLarge(limitBytes: number): RequestEntityTooLargeException {
  return new RequestEntityTooLargeException(
    `Request must be smaller than ${limitBytes} bytes for the InvokeFunction operation`,
  );
}

function enumHeader<T extends string>(
  req: Request,
  header: string,
  member: string,
  allowed: readonly T[],
): T | undefined {
  const value = req.get(header);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ValidationException(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

/** The payload as JSON text; no payload is the empty object, as on AWS. */
function parsePayload(bytes: Buffer): string {
  if (bytes.length === 0) return '{}';
  const prefix = 'Could not parse request body into json: Could not parse payload into json:';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidRequestContentException(`${prefix} Invalid UTF-8 byte sequence`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestContentException(`${prefix} ${(error as Error).message}`);
  }
  return text;
}

function logTail(logs: string): string {
  const bytes = Buffer.from(logs);
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}
