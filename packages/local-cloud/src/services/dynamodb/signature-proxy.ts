// local-cloud's DynamoDB endpoint: a small HTTP proxy in front of DynamoDB Local that verifies each request's
// SigV4 signature against the key pair local-cloud publishes, as DynamoDB does. DynamoDB Local itself accepts
// any key and any signature, so without this a handler configured with the wrong credentials or region would
// work locally and fail on AWS. Refusals use DynamoDB's own wire shape (HTTP 400, `__type`, `message`), so the
// SDK throws the same exception class it throws on AWS. Operations DynamoDB Local does not implement get its
// UnknownOperationException, with a message naming the operation. DynamoDB Local's web server (Jetty) answers
// a URL it cannot read with an HTML page; those answers are replaced by DynamoDB-shaped ones too.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { listen, type Listener } from '../../http-listener';
import { internalErrorMessage, logInternalError, type Log } from '../../http/internal-errors';
import { MALFORMED_URL_MESSAGE, pathOf, percentDecoded } from '../../http/request-path';
import { createSignatureCheck } from '../../protocol/signature-errors';
import type { AccessKeyPair } from '../../protocol/sigv4';
import { withAccessKey } from './shared-dynamodb-local';
import { readBody } from '../../protocol/read-body';
import { arnTranslator, dynamoDbCrc32, type ArnTranslator } from './arns';
import { ACCOUNT_ID } from '../../common/account';
import { isRecord } from '../../common/records';
import type { Authorizer } from '../../iam/authorizer';
import { accessDeniedMessage, deniedCall } from '../../iam/denial-messages';
import { dynamodbAuthorizationRequests } from '../../iam/requests';

export interface SignatureProxyOptions {
  port: number;
  /** Where to attach instead of listening on `port`: the edge. */
  listener?: Listener;
  /** DynamoDB Local's port on 127.0.0.1. */
  backendPort: number;
  credentials: AccessKeyPair;
  /** Check each request's signature (default true); false only forwards, to put the backend key on. */
  verifySignatures?: boolean;
  /** The access key requests carry to DynamoDB Local: a namespace in a shared one (see shared-dynamodb-local). */
  backendAccessKeyId?: string;
  region: string;
  /** The account in the ARNs clients see (DynamoDB Local's own say 000000000000). */
  accountId?: string;
  /** Receives the proxy's own failures (DynamoDB Local unreachable, ...), stack included. */
  log: Log;
  /** Checks a function's call against its role (src/iam); absent, every signed call may. */
  authorizer?: Authorizer;
}

export interface SignatureProxy {
  port: number;
  /** Forwards from now on to a DynamoDB Local on another port (one started again after an exit). */
  retarget(backendPort: number): void;
  /** Answers every request from now on with 503 and `reason`: DynamoDB Local is gone for good. */
  refuse(reason: string): void;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/x-amz-json-1.0';
/** DynamoDB's largest request (a BatchWriteItem): 16 MB. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export async function startSignatureProxy(options: SignatureProxyOptions): Promise<SignatureProxy> {
  const verify = createSignatureCheck({
    credentials: options.credentials,
    region: options.region,
    // DynamoDB Streams clients sign with the same service name as DynamoDB's.
    service: 'dynamodb',
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const arns = arnTranslator(options.region, options.accountId ?? ACCOUNT_ID);
  const listener: Listener =
    options.listener ??
    (await listen({
      port: options.port,
      host: '127.0.0.1',
      purpose: 'DynamoDB',
      fix: 'pass another --dynamodb-port',
    }));
  let closing = false;
  let backendPort = options.backendPort;
  let refusal: string | undefined;
  const failed = (req: http.IncomingMessage, res: http.ServerResponse, error: unknown) => {
    // A request still in flight when local-cloud stops loses its connection and DynamoDB Local: that is the
    // stop, not a failure worth a log line (its client's connection is already gone).
    if (closing) {
      res.destroy();
      return;
    }
    logInternalError(options.log, req, error);
    if (!res.headersSent)
      sendError(res, 'InternalServerError', internalErrorMessage('DynamoDB endpoint'), 500);
    else res.destroy();
  };
  listener.attach((req, res) => {
    void readBody(req, MAX_REQUEST_BYTES)
      .then(async ({ bytes: body, size }) => {
        if (size > MAX_REQUEST_BYTES) {
          return sendError(
            res,
            'ValidationException',
            `Request size ${size} bytes exceeds the 16 MB DynamoDB accepts.`,
            413,
          );
        }
        if (percentDecoded(pathOf(req.url ?? '/')) === undefined) {
          return sendError(res, 'ValidationException', MALFORMED_URL_MESSAGE);
        }
        if (refusal !== undefined) return sendError(res, 'ServiceUnavailable', refusal, 503);
        // A browser's CORS preflight carries no signature; DynamoDB answers it unsigned too.
        if (req.method !== 'OPTIONS' && options.verifySignatures !== false) {
          const refused = await verify({
            method: req.method ?? 'POST',
            url: req.url ?? '/',
            headers: req.headers,
            body,
          });
          if (refused) return sendError(res, refused.code, refused.message);
        }
        // DynamoDB's API is POST / alone. Another path is answered here: DynamoDB Local's web server would answer
        // it with a page, or, busy, drop the connection.
        if (pathOf(req.url ?? '/') !== '/') {
          return sendError(res, 'ValidationException', NOT_DYNAMODB_REQUEST);
        }
        const denial = deniedCall(options.authorizer, req, () =>
          dynamodbAuthorizationRequests(operationOf(req), jsonInput(body), {
            region: options.region,
            accountId: options.accountId ?? ACCOUNT_ID,
          }),
        );
        if (denial) return sendError(res, 'AccessDeniedException', accessDeniedMessage(denial));
        const forwarded = arns.toLocal(body);
        const headers = { ...req.headers, 'content-length': String(forwarded.length) };
        if (options.backendAccessKeyId && headers.authorization) {
          headers.authorization = withAccessKey(headers.authorization, options.backendAccessKeyId);
        }
        forward(req, res, headers, forwarded, { backendPort, agent, arns }, (error) =>
          failed(req, res, error),
        );
      })
      .catch((error: unknown) => failed(req, res, error));
  });
  return {
    port: listener.port,
    retarget: (port) => {
      backendPort = port;
    },
    refuse: (reason) => {
      refusal = reason;
    },
    close: async () => {
      closing = true;
      await listener.close();
      agent.destroy();
    },
  };
}

interface Backend {
  backendPort: number;
  agent: http.Agent;
  arns: ArnTranslator;
}

function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  headers: http.OutgoingHttpHeaders,
  body: Buffer,
  { backendPort, agent, arns }: Backend,
  failed: (error: unknown) => void,
): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  const upstream = http.request(
    {
      host: '127.0.0.1',
      port: backendPort,
      method: req.method,
      path: req.url,
      headers,
      agent,
    },
    (response) => {
      const status = response.statusCode ?? 502;
      if (status < 400) {
        const encoding = response.headers['content-encoding'];
        if (encoding !== undefined && encoding !== 'identity') {
          res.writeHead(status, response.headers);
          response.pipe(res);
          return;
        }
        // Read whole, to give the ARNs in it the service's region and account (and the checksum that covers them).
        void readBody(response, Number.MAX_SAFE_INTEGER)
          .then(({ bytes }) => {
            const answer = arns.toAws(bytes);
            const answerHeaders: http.OutgoingHttpHeaders = {
              ...response.headers,
              'content-length': String(answer.length),
            };
            if (answer !== bytes && response.headers['x-amz-crc32'] !== undefined) {
              answerHeaders['x-amz-crc32'] = dynamoDbCrc32(answer);
            }
            res.writeHead(status, answerHeaders);
            res.end(answer);
          })
          .catch(failed);
        return;
      }
      // Errors are small: read them to name the operation DynamoDB Local does not know, or to replace a page.
      void readBody(response, MAX_REQUEST_BYTES)
        .then(({ bytes: errorBody }) => {
          if (!String(response.headers['content-type']).startsWith('application/x-amz-json')) {
            return sendError(
              res,
              status < 500 ? 'ValidationException' : 'InternalServerError',
              `DynamoDB Local refused the request (HTTP ${status} ${http.STATUS_CODES[status] ?? ''}). ` +
                SEND_WITH_THE_SDK,
              status,
            );
          }
          if (errorBody.toString().includes('UnknownOperationException')) {
            const operation = target.split('.').pop() || '(no X-Amz-Target)';
            return sendError(
              res,
              'UnknownOperationException',
              `An unknown operation was requested: ${operation}. DynamoDB Local, which serves DynamoDB in local-cloud, does not implement it.`,
            );
          }
          res.writeHead(status, response.headers);
          res.end(errorBody);
        })
        .catch(failed);
    },
  );
  upstream.on('error', failed);
  upstream.end(body);
}

/** `Query` of `X-Amz-Target: DynamoDB_20120810.Query`. */
function operationOf(req: http.IncomingMessage): string {
  return (
    String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .pop() ?? ''
  );
}

/** The request's JSON object; an empty one for a body DynamoDB will refuse anyway. */
function jsonInput(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

const SEND_WITH_THE_SDK =
  "Send it with the AWS SDK's DynamoDBClient, which POSTs JSON to / with an X-Amz-Target header.";
const NOT_DYNAMODB_REQUEST = `DynamoDB serves no path but /. ${SEND_WITH_THE_SDK}`;

function sendError(res: http.ServerResponse, type: string, message: string, status = 400): void {
  const payload = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
  res
    .writeHead(status, {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID(),
    })
    .end(payload);
}
