// The Lambda API (Invoke, and the reads ListFunctions, GetFunction and GetFunctionConfiguration): an HTTP endpoint that `@aws-sdk/client-lambda` (or the AWS CLI) can be pointed at
// with `endpoint: 'http://127.0.0.1:<port>'`, signing its requests with the key pair local-cloud accepts.
import { ACCOUNT_ID } from '../common/account';
import { accessDeniedMessage, deniedCall } from '../iam/denial-messages';
import { lambdaAuthorizationRequests, type LambdaRequestInput } from '../iam/requests';
import express from 'express';
import { finalErrorHandler, refuseMalformedUrl, type SendErrorAnswer } from '../http/express-errors';
import type { Log } from '../http/internal-errors';
import type { LambdaService } from '../lambda/lambda-service';
import { AsyncInvocationQueue, type AsyncOutcome, type AsyncRetry, type QueuedEvent } from './async-queue';
import type { AccessKeyPair, SignedRequest } from '../protocol/sigv4';
import type { Authorizer } from '../iam/authorizer';
import { createSignatureCheck } from '../protocol/signature-errors';
import {
  AwsApiError,
  ServiceException,
  UnknownOperationException,
  ValidationException,
  sendAwsError,
} from './errors';
import {
  GET_CONFIGURATION_PATH,
  GET_FUNCTION_PATH,
  getConfigurationRoute,
  getFunctionRoute,
  LIST_FUNCTIONS_PATH,
  listFunctionsRoute,
} from './functions-route';
import { INVOKE_PATH, invokeRoute } from './invoke-route';
import { assignRequestId } from './request-id';

export type { AsyncOutcome, AsyncRetry, DestinationDelivery } from './async-queue';
export type { InvocationRecord } from './invocation-record';

/** AWS waits about 1 then 2 minutes before retrying a failed event; local-cloud scales that to seconds. */
export const DEFAULT_RETRY_DELAYS_MS: readonly [number, number] = [1000, 2000];
/** First wait before re-running a throttled event; it doubles up to the second retry delay. */
export const DEFAULT_THROTTLE_RETRY_DELAY_MS = 100;

export interface InvokeApiOptions {
  lambda: LambdaService;
  /** The key pair whose signatures are accepted (with the role sessions it carries). */
  credentials: AccessKeyPair;
  /** Checks a function's Invoke against its role (lambda:InvokeFunction); absent: every signed call may. */
  authorizer?: Authorizer;
  /** The region requests must be signed for. */
  region: string;
  /** Waits before the first and the second retry of a failed Event invocation. */
  retryDelaysMs?: readonly [number, number];
  throttleRetryDelayMs?: number;
  /** Called once per Event invocation when it succeeded, ran out of retries or expired. */
  onAsyncOutcome?: (outcome: AsyncOutcome) => void;
  /** Called each time an Event invocation is put back in the queue. */
  onAsyncRetry?: (retry: AsyncRetry) => void;
  /** The clock for event age and signature dates, ms since the epoch; tests move it. */
  now?: () => number;
  /** Receives local-cloud's own failures, stack included (the client gets no detail). Default: stderr. */
  log?: Log;
  /**
   * The async queue Event invocations join: the platform's, which every event source uses too (start() passes
   * it), so one queue holds every async event. Absent: the Invoke API runs a queue of its own, from the
   * options above.
   */
  queue?: AsyncQueue;
}

/** What a route serves, for the caller's role: `Invoke` of FunctionName (and Qualifier). */
export type LambdaOperation = LambdaRequestInput & { name: string };

/** Where an Event invocation goes: Lambda's async queue. */
export interface AsyncQueue {
  enqueue(event: QueuedEvent): void;
}

export interface InvokeApi {
  app: express.Express;
  /** Cancels waiting retries; an invocation already running finishes, but no retry or destination follows. */
  stop(): Promise<void>;
}

export function createInvokeApi(options: InvokeApiOptions): InvokeApi {
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const throttleRetryDelayMs = options.throttleRetryDelayMs ?? DEFAULT_THROTTLE_RETRY_DELAY_MS;
  checkDelays(retryDelaysMs, throttleRetryDelayMs);
  const now = options.now ?? Date.now;
  const ownQueue = options.queue
    ? undefined
    : new AsyncInvocationQueue({
        lambda: options.lambda,
        retryDelaysMs,
        throttleRetryDelayMs,
        now,
        onOutcome: options.onAsyncOutcome,
        onRetry: options.onAsyncRetry,
      });
  const queue: AsyncQueue = options.queue ?? ownQueue!;
  const checkSignature = createSignatureCheck({
    credentials: options.credentials,
    region: options.region,
    service: 'lambda',
    now,
  });
  const account = { region: options.region, accountId: ACCOUNT_ID };
  // Lambda's routes answer the failure as they answer every Lambda error: thrown, then sent as JSON. A
  // function's call is then checked against its role, as the operation the route serves.
  const verifySignature = async (request: SignedRequest, operation: LambdaOperation) => {
    const refused = await checkSignature(request);
    if (refused) throw new AwsApiError(refused.code, refused.status, refused.message);
    const denial = deniedCall(options.authorizer, request, () =>
      lambdaAuthorizationRequests(operation.name, operation, account),
    );
    if (denial) throw new AwsApiError('AccessDeniedException', 403, accessDeniedMessage(denial));
  };

  const app = express();
  app.disable('x-powered-by');
  // Results up to 6 MB would otherwise be hashed for an ETag no SDK reads.
  app.set('etag', false);
  const log = options.log ?? ((line: string) => console.error(`[lambda] ${line}`));
  app.use(assignRequestId);
  app.use(refuseMalformedUrl(sendErrorAnswer));
  app.post(INVOKE_PATH, invokeRoute({ lambda: options.lambda, queue, verifySignature }));
  const reads = { lambda: options.lambda, verifySignature };
  app.get(LIST_FUNCTIONS_PATH, listFunctionsRoute(reads));
  app.get(GET_CONFIGURATION_PATH, getConfigurationRoute(reads));
  app.get(GET_FUNCTION_PATH, getFunctionRoute(reads));
  app.use((req, res) => sendAwsError(res, new UnknownOperationException(req.method, req.path)));
  app.use(finalErrorHandler({ server: 'Lambda Invoke API', log, send: sendErrorAnswer }));

  return {
    app,
    stop: () => {
      // A queue passed in is its owner's to stop.
      ownQueue?.stop();
      return Promise.resolve();
    },
  };
}

/** Lambda names a request it cannot read ValidationException, and its own failure ServiceException. */
const sendErrorAnswer: SendErrorAnswer = (res, answer) => {
  sendAwsError(
    res,
    answer.kind === 'internal'
      ? new ServiceException(answer.message)
      : new ValidationException(answer.message, answer.status),
  );
};

function checkDelays(retryDelaysMs: readonly number[], throttleRetryDelayMs: number): void {
  const valid = (ms: number) => Number.isFinite(ms) && ms >= 0;
  if (retryDelaysMs.length !== 2 || !retryDelaysMs.every(valid)) {
    throw new RangeError(
      `retryDelaysMs must be two non-negative numbers of milliseconds, such as [1000, 2000]; got ${JSON.stringify(retryDelaysMs)}.`,
    );
  }
  if (!valid(throttleRetryDelayMs)) {
    throw new RangeError(
      `throttleRetryDelayMs must be a non-negative number of milliseconds, such as 100; got ${throttleRetryDelayMs}.`,
    );
  }
}
