// Amazon S3 for local-cloud: the buckets a service deploys (CloudFormation and `s3` events), served over S3's
// REST API (on the AWS endpoint, or a port of its own) for @aws-sdk/client-s3 and @aws-sdk/s3-request-presigner. Every request is
// authenticated as S3 authenticates it (SigV4 in the Authorization header or the query string, presigned URLs
// up to 7 days; a browser form by the POST policy it carries; unsigned reads by a public bucket policy),
// objects persist on disk, bucket CORS answers browsers, and every object change is reported to
// `onObjectEvent` for the notifications event source.
import type { Authorizer, Denial } from '../../iam/authorizer';
import { accessDeniedMessage, deniedCall } from '../../iam/denial-messages';
import { s3AuthorizationRequests, type S3RequestInput } from '../../iam/requests';
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import {
  SigV4Error,
  verifySigV4,
  type AccessKeyPair,
  type SigV4VerifierOptions,
  type VerifiedSignature,
} from '../../protocol/sigv4';
import type { ServiceDefinition } from '../../config/service-definition';
import { logInternalError, type Log } from '../../http/internal-errors';
import { serviceListener, urlHost, type Listener } from '../../http-listener';
import { ACCOUNT_ID } from '../../common/account';
import { SIGNED_CHUNKS, SIGNED_CHUNKS_TRAILER, decodeAwsChunked, isStreamingPayload } from './aws-chunked';
import {
  admitsAnonymous,
  deleteBucketPolicy,
  deletePublicAccessBlock,
  getBucketPolicy,
  getPublicAccessBlock,
  putBucketPolicy,
  putPublicAccessBlock,
} from './bucket-access';
import { bucketDefinitions, type BucketDefinition } from './bucket-definitions';
import { bucketAccess, deployedBucket } from './bucket-policy-resources';
import {
  createBucket,
  deleteBucket,
  deleteBucketCors,
  deleteObjects,
  getBucketCors,
  getBucketLocation,
  headBucket,
  listBuckets,
  listObjects,
  listObjectsV2,
  putBucketCors,
} from './bucket-operations';
import { answerPreflight, corsHeaders, findCorsRule, type CorsRule } from './cors';
import {
  S3Error,
  entityTooLarge,
  methodNotAllowed,
  notImplemented,
  signatureError,
  signatureV2NotSupported,
} from './errors';
import { createSequencer, type S3ObjectEvent } from './object-event';
import { copyObject, deleteObject, getObject, putObject } from './object-operations';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from './multipart';
import { openNotificationOutbox } from './notification-outbox';
import { postObject } from './post-object';
import { ObjectStore } from './object-store';
import { readBody as readRequestBody } from '../../protocol/read-body';
import { stageBody, type StagedBody } from './staged-body';
import { operationName, parseTarget, type RequestTarget } from './request-target';
import { isoTime, type S3Backend, type S3Request } from './s3-context';
import { xmlDocument } from './xml';

export interface S3ServiceOptions {
  service: ServiceDefinition;
  /** Checks a function's call against its role (src/iam); absent, every signed call may. */
  authorizer?: Authorizer;
  /** Default 0: a free port. */
  port?: number;
  /** Attach to this endpoint (the edge) instead of listening on `port`. */
  listener?: Listener;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default `<servicePath>/.local-cloud/s3`. */
  dataDir?: string;
  /** Keep everything in memory: nothing is read from or written to disk. */
  inMemory?: boolean;
  /** The key pair requests must be signed with. */
  credentials: AccessKeyPair;
  /** Default: the service's provider.region. */
  region?: string;
  accountId?: string;
  /**
   * Receives each object change; the promise it returns settles once the event is delivered (until then a
   * persisted service keeps it in its notification outbox, and delivers it again after a restart).
   */
  onObjectEvent?: (event: S3ObjectEvent) => void | Promise<void>;
  /** Largest object one PUT may store. Default 1 GiB (S3: 5 GiB; local-cloud holds a body in memory). */
  maxObjectBytes?: number;
  now?: () => number;
  /** Problems worth a line in local-cloud's output (a notification handler that threw, its own failures). */
  log?: (line: string) => void;
}

export interface S3Service {
  /** For `new S3Client({ endpoint })`: the AWS endpoint, `http://127.0.0.1:3001`. */
  url: string;
  port: number;
  region: string;
  /** Where objects persist; undefined in memory. */
  dataDir?: string;
  /** The buckets the service's configuration defines. */
  buckets: BucketDefinition[];
  /** Resolves once every notification handed over so far is delivered (and, persisted, out of the outbox). */
  notificationsDelivered(): Promise<void>;
  stop(): Promise<void>;
}

const DEFAULT_MAX_OBJECT_BYTES = 1024 ** 3;

export async function createS3Service(options: S3ServiceOptions): Promise<S3Service> {
  const region = options.region ?? options.service.provider.region;
  const accountId = options.accountId ?? ACCOUNT_ID;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const dataDir = options.inMemory
    ? undefined
    : (options.dataDir ?? path.join(options.service.servicePath, '.local-cloud', 's3'));
  const buckets = bucketDefinitions({ service: options.service, accountId });
  const access = bucketAccess({ service: options.service, accountId }, buckets);
  const store = await ObjectStore.open(dataDir);
  store.damaged.forEach((damaged) => log(`warning: ${damaged.message}`));
  access.warnings.forEach((warning) => log(`warning: ${warning}`));
  for (const bucket of buckets) {
    const existing = store.getBucket(bucket.name);
    const record = deployedBucket(bucket, existing, access, isoTime(new Date(now())));
    if (!existing) await store.createBucket(record);
    else await store.updateBucket(record);
  }

  const outbox = dataDir && options.onObjectEvent ? await openNotificationOutbox(dataDir) : undefined;
  const inFlight = new Set<Promise<void>>();
  /** Hands the event over; once delivered, it leaves the outbox. */
  const deliver = (event: S3ObjectEvent, outboxId: string | undefined) => {
    const describe = `S3 notification for s3://${event.bucket}/${event.key}`;
    let delivered: void | Promise<void>;
    try {
      delivered = options.onObjectEvent?.(event);
    } catch (error) {
      log(`${describe} failed: ${(error as Error).message}`);
      return;
    }
    const settled = Promise.resolve(delivered)
      .then(() => (outboxId === undefined ? undefined : outbox?.done(outboxId)))
      .catch((error: unknown) => log(`${describe} failed: ${(error as Error).message}`))
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const nextSequencer = createSequencer(now);
  const backend: S3Backend = {
    store,
    region,
    ownerId: createHash('sha256').update(`local-cloud:${accountId}`).digest('hex'),
    ownerDisplayName: 'local-cloud',
    ownerPrincipalId: `A${createHash('sha256').update(accountId).digest('hex').slice(0, 13).toUpperCase()}`,
    maxObjectBytes: options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES,
    now: () => new Date(now()),
    emit: async (event, request) => {
      if (!options.onObjectEvent) return;
      const full: S3ObjectEvent = {
        ...event,
        sequencer: nextSequencer(),
        bucketOwnerPrincipalId: backend.ownerPrincipalId,
        principalId: request.principalId,
        sourceIPAddress: request.sourceIp,
        requestId: request.requestId,
        hostId: request.hostId,
      };
      // On disk before the request is acknowledged: a crash after the answer cannot lose the notification.
      deliver(full, outbox ? await outbox.record(full) : undefined);
    },
    corsRules: (bucket) => {
      const record = store.getBucket(bucket);
      return record ? (record.cors ?? []) : undefined;
    },
    setCorsRules: async (bucket, rules) => {
      const record = store.getBucket(bucket);
      if (record) await store.updateBucket({ ...record, cors: rules });
    },
  };
  const verifier: SigV4VerifierOptions = {
    credentials: options.credentials,
    region,
    service: 's3',
    requireSignedAmzHeaders: true,
    now,
  };

  const host = options.host ?? '127.0.0.1';
  const listener: Listener = await serviceListener(options, host, 'S3');
  // What the last run acknowledged and did not deliver (a crash, or a stop before retries ended) goes out now.
  if (outbox) {
    const { notifications, damaged } = await outbox.pending();
    for (const file of damaged) {
      log(
        `warning: ${file} is not an event notification local-cloud can read (a crash mid-write?), so it is not delivered. Fix: read it, then delete it`,
      );
    }
    if (notifications.length > 0) {
      log(
        `delivering ${notifications.length} event notification(s) acknowledged before the last stop and not delivered then (S3 delivers at least once)`,
      );
    }
    notifications.forEach(({ id, event }) => deliver(event, id));
  }
  const authorize: AuthorizeS3 = (req, operation, input) =>
    deniedCall(options.authorizer, req, () =>
      s3AuthorizationRequests(operation, input, { region, accountId }),
    );
  listener.attach((req, res) => {
    void handle(req, res, backend, verifier, log, authorize);
  });
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${listener.port}`,
    port: listener.port,
    region,
    dataDir,
    buckets,
    notificationsDelivered: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    stop: () => {
      stopped ??= (async () => {
        await listener.close();
        await store.flush();
      })();
      return stopped;
    },
  };
}

/** The denial of a function's S3 call by its role, if its role does not allow it. */
type AuthorizeS3 = (req: IncomingMessage, operation: string, input: S3RequestInput) => Denial | undefined;

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  backend: S3Backend,
  verifier: SigV4VerifierOptions,
  log: Log,
  authorize: AuthorizeS3,
): Promise<void> {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const hostId = randomBytes(32).toString('base64');
  res.setHeader('x-amz-request-id', requestId);
  res.setHeader('x-amz-id-2', hostId);
  res.setHeader('server', 'AmazonS3');
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  let target: RequestTarget | undefined;
  let staged: StagedBody | undefined;
  try {
    const current = (target = parseTarget(url, req.headers.host));
    const headers = singleValues(req);
    if (method === 'OPTIONS') {
      preflight(backend, target, headers, res);
      return;
    }
    addCorsHeaders(backend, target, headers, method, res);
    const operation = operationName(method, target, headers);
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    if (operation === 'PostObject') {
      // A browser form: unsigned, authorized by the policy it carries.
      if (target.key) throw methodNotAllowed(method, 'OBJECT');
      await postObject(backend, { req, res, target, headers, requestId, hostId, sourceIp }, verifier);
      return;
    }
    const verified = await verifySigV4({ method, url, headers: req.headersDistinct }, verifier).catch(
      (error: unknown) => {
        // Unsigned: only what the bucket policy lets anyone read.
        if (error instanceof SigV4Error && signedWithVersion2(url, headers)) throw signatureV2NotSupported();
        const unsigned = error instanceof SigV4Error && error.failure.code === 'MissingAuthentication';
        if (unsigned && admitsAnonymous(backend, operation, current)) return ANONYMOUS;
        throw error instanceof SigV4Error ? signatureError(error.failure) : error;
      },
    );
    // A function's call, checked against its role before any byte of an upload is read. DeleteObjects names
    // its keys in the body, so it is checked once the body is read.
    const checkRole = (body?: Buffer) => {
      if (verified === ANONYMOUS) return;
      const input = { method, bucket: current.bucket, key: current.key, query: current.query, headers, body };
      const denial = authorize(req, operation, input);
      if (denial) throw new S3Error('AccessDenied', 403, accessDeniedMessage(denial, 's3'));
    };
    if (operation !== 'DeleteObjects') checkRole();
    // An object's bytes go to disk as they arrive (aws-chunked framing aside, and in memory there is no disk).
    const stagingFile =
      (operation === 'PutObject' || operation === 'UploadPart') && !isStreamingPayload(verified.payloadHash)
        ? backend.store.stagingFile()
        : undefined;
    staged = stagingFile
      ? await stageUpload(req, stagingFile, headers, verified.payloadHash, backend.maxObjectBytes)
      : undefined;
    const body = staged
      ? { data: Buffer.alloc(0), trailers: {} }
      : await readBody(req, headers, verified, backend.maxObjectBytes);
    if (operation === 'DeleteObjects') checkRole(body.data);
    const request: S3Request = {
      req,
      res,
      method,
      target,
      headers: { ...headers, ...body.trailers },
      body: body.data,
      staged,
      requestId,
      hostId,
      principalId: verified === ANONYMOUS ? 'Anonymous' : `AWS:${verified.accessKeyId}`,
      sourceIp,
    };
    await dispatch(operation, backend, request);
  } catch (error) {
    if (!(error instanceof S3Error)) logInternalError(log, { method, url }, error);
    sendError(res, error, { method, requestId, hostId, resource: target ? resourceOf(target) : url });
  } finally {
    // Refused (a bad digest, a precondition): the staged bytes go; stored, the file is already gone.
    await staged?.discard();
  }
}

/** `Authorization: AWS AKID:signature`, or a presigned URL with `AWSAccessKeyId` and `Signature`. */
function signedWithVersion2(url: string, headers: Record<string, string | undefined>): boolean {
  if (/^AWS [^:\s]+:/.test(headers.authorization ?? '')) return true;
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  return query.has('AWSAccessKeyId') && query.has('Signature');
}

/** What an unsigned request the bucket policy admits stands in for a signature with. */
const ANONYMOUS: VerifiedSignature = {
  location: 'header',
  accessKeyId: '',
  signedHeaders: [],
  payloadHash: 'UNSIGNED-PAYLOAD',
  signature: '',
  amzDate: '',
  scope: '',
  signingKey: new Uint8Array(),
};

/** Streams a PutObject body to disk, checking the payload hash the signature covers once it is all there. */
async function stageUpload(
  req: IncomingMessage,
  file: string,
  headers: Record<string, string | undefined>,
  payloadHash: string,
  maxBytes: number,
): Promise<StagedBody> {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw entityTooLarge(declared, maxBytes);
  }
  const staged = await stageBody(req, file, headers, maxBytes);
  if (/^[0-9a-f]{64}$/i.test(payloadHash) && staged.sha256Hex !== payloadHash.toLowerCase()) {
    await staged.discard();
    throw signatureError({ code: 'ContentSha256Mismatch', claimed: payloadHash, computed: staged.sha256Hex });
  }
  return staged;
}

async function dispatch(operation: string, backend: S3Backend, request: S3Request): Promise<void> {
  switch (operation) {
    case 'ListBuckets':
      return listBuckets(backend, request);
    case 'CreateBucket':
      return createBucket(backend, request);
    case 'HeadBucket':
      return headBucket(backend, request);
    case 'DeleteBucket':
      return deleteBucket(backend, request);
    case 'GetBucketLocation':
      return getBucketLocation(backend, request);
    case 'ListObjectsV2':
      return listObjectsV2(backend, request);
    case 'ListObjects':
      return listObjects(backend, request);
    case 'DeleteObjects':
      return deleteObjects(backend, request);
    case 'GetBucketCors':
      return getBucketCors(backend, request);
    case 'PutBucketCors':
      return putBucketCors(backend, request);
    case 'DeleteBucketCors':
      return deleteBucketCors(backend, request);
    case 'PutObject':
      return putObject(backend, request);
    case 'GetObject':
      return getObject(backend, request, false);
    case 'HeadObject':
      return getObject(backend, request, true);
    case 'DeleteObject':
      return deleteObject(backend, request);
    case 'CopyObject':
      return copyObject(backend, request);
    case 'CreateMultipartUpload':
      return createMultipartUpload(backend, request);
    case 'UploadPart':
      return uploadPart(backend, request);
    case 'CompleteMultipartUpload':
      return completeMultipartUpload(backend, request);
    case 'AbortMultipartUpload':
      return abortMultipartUpload(backend, request);
    case 'ListParts':
      return listParts(backend, request);
    case 'ListMultipartUploads':
      return listMultipartUploads(backend, request);
    case 'PutBucketPolicy':
      return putBucketPolicy(backend, request);
    case 'GetBucketPolicy':
      return getBucketPolicy(backend, request);
    case 'DeleteBucketPolicy':
      return deleteBucketPolicy(backend, request);
    case 'PutPublicAccessBlock':
      return putPublicAccessBlock(backend, request);
    case 'GetPublicAccessBlock':
      return getPublicAccessBlock(backend, request);
    case 'DeletePublicAccessBlock':
      return deletePublicAccessBlock(backend, request);
    default:
      throw notImplemented(operation);
  }
}

/** Reads the body, removing aws-chunked framing and checking the payload hash the signature covers. */
async function readBody(
  req: IncomingMessage,
  headers: Record<string, string | undefined>,
  verified: {
    payloadHash: string;
    signature: string;
    signingKey: Uint8Array;
    amzDate: string;
    scope: string;
  },
  maxBytes: number,
): Promise<{ data: Buffer; trailers: Record<string, string> }> {
  const streaming = isStreamingPayload(verified.payloadHash);
  const declared = Number(streaming ? headers['x-amz-decoded-content-length'] : headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw entityTooLarge(declared, maxBytes);
  }
  // aws-chunked framing adds to the bytes: room for it, and the decoded size is checked below.
  const { bytes: raw, size } = await readRequestBody(req, maxBytes * 2 + 64 * 1024);
  if (size > maxBytes * 2 + 64 * 1024) throw entityTooLarge(size, maxBytes);
  if (!streaming) {
    if (/^[0-9a-f]{64}$/i.test(verified.payloadHash)) {
      const computed = createHash('sha256').update(raw).digest('hex');
      if (computed !== verified.payloadHash.toLowerCase()) {
        throw signatureError({ code: 'ContentSha256Mismatch', claimed: verified.payloadHash, computed });
      }
    }
    if (raw.length > maxBytes) throw entityTooLarge(raw.length, maxBytes);
    return { data: raw, trailers: {} };
  }
  const signed = verified.payloadHash === SIGNED_CHUNKS || verified.payloadHash === SIGNED_CHUNKS_TRAILER;
  const decoded = decodeAwsChunked(
    raw,
    signed
      ? {
          signingKey: verified.signingKey,
          amzDate: verified.amzDate,
          scope: verified.scope,
          seedSignature: verified.signature,
        }
      : undefined,
  );
  if (Number.isFinite(declared) && decoded.data.length !== declared) {
    throw new S3Error(
      'IncompleteBody',
      400,
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    );
  }
  return decoded;
}

function preflight(
  backend: S3Backend,
  target: RequestTarget,
  headers: Record<string, string | undefined>,
  res: ServerResponse,
): void {
  const answer = answerPreflight({
    origin: headers.origin,
    requestMethod: headers['access-control-request-method'],
    requestHeaders: headers['access-control-request-headers'],
    rules: target.bucket ? backend.corsRules(target.bucket) : undefined,
    resourceType: target.key ? 'OBJECT' : 'BUCKET',
  });
  res.writeHead(200, { ...answer, 'content-length': 0 }).end();
}

/** CORS headers on an actual request, when its Origin and method match one of the bucket's rules. */
function addCorsHeaders(
  backend: S3Backend,
  target: RequestTarget,
  headers: Record<string, string | undefined>,
  method: string,
  res: ServerResponse,
): void {
  const origin = headers.origin;
  if (!origin || !target.bucket) return;
  const rules: CorsRule[] = backend.corsRules(target.bucket) ?? [];
  // S3 takes the method from Access-Control-Request-Method when a request carries it.
  const rule = findCorsRule(rules, origin, headers['access-control-request-method'] ?? method);
  if (!rule) return;
  for (const [name, value] of Object.entries(corsHeaders(rule, origin))) res.setHeader(name, value);
}

function sendError(
  res: ServerResponse,
  error: unknown,
  context: { method: string; requestId: string; hostId: string; resource: string },
): void {
  // S3's own words for its failures; the reason is in local-cloud's log.
  const s3Error =
    error instanceof S3Error
      ? error
      : new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // HEAD answers carry no body; the SDK names the error after the status (NotFound, Forbidden, ...).
  if (context.method === 'HEAD') {
    res.writeHead(s3Error.statusCode, { 'content-length': 0 }).end();
    return;
  }
  const body = Buffer.from(
    xmlDocument(
      'Error',
      {
        Code: s3Error.code,
        Message: s3Error.message,
        ...s3Error.details,
        Resource: s3Error.code === 'NotImplemented' ? context.resource : undefined,
        RequestId: context.requestId,
        HostId: context.hostId,
      },
      null,
    ),
  );
  res
    .writeHead(s3Error.statusCode, { 'content-type': 'application/xml', 'content-length': body.length })
    .end(body);
}

function resourceOf(target: RequestTarget): string {
  return target.bucket ? `/${target.bucket}${target.key ? `/${target.key}` : ''}` : '/';
}

function singleValues(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}
