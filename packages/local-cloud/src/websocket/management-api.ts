// The API Gateway Management API, `@connections/{connectionId}` under the stage, as
// `@aws-sdk/client-apigatewaymanagementapi` calls it (restJson, SigV4 with the signing name `execute-api`):
// POST sends the body to the client as one text message, GET describes the connection, DELETE closes it.
// A connection that is unknown, closed, or still in $connect answers 410 GoneException with an empty body, as
// AWS does (the SDK then reports `GoneException: UnknownError`).
import { ACCOUNT_ID } from '../common/account';
import type { Authorizer } from '../iam/authorizer';
import { accessDeniedMessage, deniedCall } from '../iam/denial-messages';
import { executeApiAuthorizationRequests } from '../iam/requests';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { SigV4Error, verifySigV4, type AccessKeyPair, type SigV4Failure } from '../protocol/sigv4';
import { logInternalError } from '../http/internal-errors';
import { pathOf, percentDecoded } from '../http/request-path';
import { DELETED, type Connection } from './connection';
import { MESSAGE_LIMIT_BYTES } from './frame-limits';
import { readCappedBody } from '../protocol/read-body';

/** Bodies past this are not read at all; PostToConnection's own limit (128 KB) is checked after the signature. */
const MAX_READ_BYTES = 1024 * 1024;

export interface ManagementApiOptions {
  apiId: string;
  stage: string;
  region: string;
  credentials: AccessKeyPair;
  /** Checks a function's call against its role (execute-api:ManageConnections); absent, every signed call may. */
  authorizer?: Authorizer;
  connections: ReadonlyMap<string, Connection>;
  now: () => number;
  log: (line: string) => void;
}

class ManagementError extends Error {
  constructor(
    readonly type: string,
    readonly statusCode: number,
    /** The body's `message`; no body at all when undefined (410). */
    readonly bodyMessage?: string,
  ) {
    super(bodyMessage ?? type);
  }
}

const gone = () => new ManagementError('GoneException', 410);
const forbidden = () => new ManagementError('ForbiddenException', 403, 'Forbidden');
const tooLong = (size: number) =>
  new ManagementError(
    'PayloadTooLargeException',
    413,
    `Message too long: ${size} bytes; the limit is ${MESSAGE_LIMIT_BYTES} bytes`,
  );

/** The Management API operation each method is. */
const OPERATIONS: Record<string, string> = {
  POST: 'PostToConnection',
  GET: 'GetConnection',
  DELETE: 'DeleteConnection',
};

export function createManagementApi(options: ManagementApiOptions): http.RequestListener {
  return (req, res) => {
    void handle(req, res, options);
  };
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: ManagementApiOptions,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const body = await readCappedBody(req, MAX_READ_BYTES, tooLong);
    const url = req.url ?? '/';
    await verify(req, url, body, options);
    const connectionId = connectionIdOf(url, options.stage);
    if (connectionId === undefined) throw forbidden();
    const denial = deniedCall(options.authorizer, req, () =>
      executeApiAuthorizationRequests(
        OPERATIONS[req.method ?? ''] ?? 'ManageConnections',
        { apiId: options.apiId, stage: options.stage, connectionId },
        { region: options.region, accountId: ACCOUNT_ID },
      ),
    );
    if (denial) throw new ManagementError('AccessDeniedException', 403, accessDeniedMessage(denial));
    const answer = await callConnection(req.method, options.connections.get(connectionId), body, options.now);
    respond(res, answer.statusCode, requestId, answer.body);
  } catch (error) {
    if (error instanceof ManagementError) {
      respond(
        res,
        error.statusCode,
        requestId,
        error.bodyMessage === undefined ? '' : JSON.stringify({ message: error.bodyMessage }),
        error.type,
      );
      return;
    }
    // API Gateway's own words for its failures; the reason is in local-cloud's log.
    logInternalError(options.log, req, error);
    respond(res, 500, requestId, JSON.stringify({ message: 'Internal server error' }), 'InternalServerError');
  }
}

/** One signed call on a connection: POST sends the body to it, GET describes it, DELETE closes it. */
async function callConnection(
  method: string | undefined,
  connection: Connection | undefined,
  body: Buffer,
  now: () => number,
): Promise<{ statusCode: number; body?: string }> {
  switch (method) {
    case 'POST': {
      if (body.length > MESSAGE_LIMIT_BYTES) throw tooLong(body.length);
      if (connection?.state !== 'open') throw gone();
      const sentAt = now();
      try {
        await connection.send(body);
      } catch {
        throw gone();
      }
      connection.lastActiveAt = sentAt;
      return { statusCode: 200 };
    }
    case 'GET': {
      if (connection?.state !== 'open') throw gone();
      return {
        statusCode: 200,
        body: JSON.stringify({
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: {
            sourceIp: connection.identity.sourceIp,
            userAgent: connection.identity.userAgent ?? '',
          },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        }),
      };
    }
    case 'DELETE': {
      if (connection?.state !== 'open') throw gone();
      connection.closeByGateway(DELETED, '');
      return { statusCode: 204 };
    }
    default:
      throw forbidden();
  }
}

/** `/<stage>/@connections/<id>` (the `@` possibly percent-encoded) → the decoded id; a malformed one: none. */
function connectionIdOf(url: string, stage: string): string | undefined {
  const segments = pathOf(url).split('/');
  if (segments.length !== 4 || segments[0] !== '') return undefined;
  const [, stageSegment, resource, id] = segments.map(percentDecoded);
  if (stageSegment !== stage || resource !== '@connections' || !id) return undefined;
  return id;
}

async function verify(
  req: http.IncomingMessage,
  url: string,
  body: Buffer,
  options: ManagementApiOptions,
): Promise<void> {
  try {
    await verifySigV4(
      { method: req.method ?? 'GET', url, headers: req.headersDistinct, body },
      {
        credentials: options.credentials,
        region: options.region,
        service: 'execute-api',
        allowQueryAuth: false,
        now: options.now,
      },
    );
  } catch (error) {
    if (error instanceof SigV4Error) throw signatureError(error.failure);
    throw error;
  }
}

/** IAM-authorized API Gateway calls refused as execute-api refuses them (403, the type in x-amzn-ErrorType). */
function signatureError(failure: SigV4Failure): ManagementError {
  const invalid = (message: string) => new ManagementError('InvalidSignatureException', 403, message);
  switch (failure.code) {
    case 'MissingAuthentication':
      return new ManagementError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token');
    case 'UnknownAccessKey':
      return new ManagementError(
        'UnrecognizedClientException',
        403,
        'The security token included in the request is invalid.',
      );
    case 'SignatureMismatch':
      return invalid(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    case 'RequestTimeTooSkewed':
      return invalid(
        `Signature expired: ${failure.requestTime} is now earlier or later than the server time ${failure.serverTime.toISOString()} by more than 5 minutes.`,
      );
    case 'WrongRegion':
      return invalid(`Credential should be scoped to a valid region, not '${failure.region}'.`);
    case 'WrongService':
      return invalid(`Credential should be scoped to correct service: '${failure.expected}'.`);
    case 'Malformed':
      return new ManagementError('IncompleteSignatureException', 403, failure.message);
    default:
      return invalid(`Signature verification failed: ${failure.code}`);
  }
}

function respond(
  res: http.ServerResponse,
  statusCode: number,
  requestId: string,
  body = '',
  errorType?: string,
): void {
  const headers: http.OutgoingHttpHeaders = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(statusCode, headers).end(body);
}
