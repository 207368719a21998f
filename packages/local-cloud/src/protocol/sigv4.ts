// AWS Signature Version 4, checked the way AWS checks it, for every local service: the canonical request is
// rebuilt from what arrived (with @smithy/signature-v4's own canonicalisation, the code the SDK signs with),
// signed again with the secret of the access key the request names, and compared. Both forms are covered:
// the Authorization header, and query parameters (presigned URLs, X-Amz-Expires up to 7 days).
//
// Failures are returned as data (SigV4Failure), not as one service's error: each service answers them in its
// own wire format (S3's XML `SignatureDoesNotMatch`, Lambda's JSON `InvalidSignatureException`, ...).
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import {
  ALGORITHM_IDENTIFIER,
  MAX_PRESIGNED_TTL,
  SignatureV4Base,
  UNSIGNED_PAYLOAD,
  getSigningKey,
} from '@smithy/signature-v4';

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
  /**
   * The temporary keys of role sessions (each function's role, src/iam/role-sessions.ts), also accepted
   * besides this pair: a request signed with one must carry its session token, as on AWS.
   */
  sessions?: SessionKeyLookup;
}

export interface SessionKeyLookup {
  /** A role session's secret and token, by its access key id; undefined for a key no session holds. */
  sessionKeys(accessKeyId: string): { secretAccessKey: string; sessionToken: string } | undefined;
}

export type HeaderValues = Record<string, string | string[] | undefined>;

export interface SignedRequest {
  method: string;
  /** The request target as sent: path still percent-encoded, then `?query`. */
  url: string;
  /** Lower-case names, as Node.js gives them (`req.headersDistinct` keeps repeated headers apart). */
  headers: HeaderValues;
  /**
   * The body, when the caller has it: its SHA-256 is then the payload hash a request without
   * `x-amz-content-sha256` was signed over, and a claimed hash must match it.
   */
  body?: Buffer;
}

export interface SigV4VerifierOptions {
  credentials: AccessKeyPair;
  region: string;
  /** The signing name: `s3`, `lambda`, `sns`, ... */
  service: string;
  /**
   * Whether the canonical path is the request's path URI-encoded once more. True for every AWS service but
   * S3, which signs the path exactly as sent (default: false for `s3`, true otherwise).
   */
  uriEscapePath?: boolean;
  /**
   * How far a header-signed request's date may be from the server's clock. AWS: 15 minutes for S3, 5 for
   * most other services (default: 15 min for `s3`, 5 min otherwise).
   */
  maxClockSkewMs?: number;
  /** Accept signatures in the query string (presigned URLs). Default true. */
  allowQueryAuth?: boolean;
  /** Refuse requests carrying `x-amz-*` headers the signature does not cover, as S3 does. Default false. */
  requireSignedAmzHeaders?: boolean;
  now?: () => number;
}

export type SignatureLocation = 'header' | 'query';

export type SigV4Failure =
  /** Neither an Authorization header nor X-Amz-Signature: an anonymous request. */
  | { code: 'MissingAuthentication' }
  | { code: 'Malformed'; location: SignatureLocation; message: string }
  | { code: 'UnknownAccessKey'; location: SignatureLocation; accessKeyId: string }
  | { code: 'WrongRegion'; location: SignatureLocation; region: string; expected: string }
  | { code: 'WrongService'; location: SignatureLocation; service: string; expected: string }
  /** Header auth: S3 needs `x-amz-content-sha256` (and it must be signed). */
  | { code: 'MissingContentSha256' }
  | { code: 'ContentSha256Mismatch'; claimed: string; computed: string }
  | { code: 'RequestTimeTooSkewed'; requestTime: string; serverTime: Date; maxSkewMs: number }
  | { code: 'ExpiresTooLarge'; expiresSeconds: number }
  | { code: 'NotYetValid'; amzDate: string; expiresAt: Date; serverTime: Date }
  | { code: 'Expired'; expiresSeconds: number; expiresAt: Date; serverTime: Date }
  | { code: 'HeadersNotSigned'; headers: string[] }
  | {
      code: 'SignatureMismatch';
      location: SignatureLocation;
      accessKeyId: string;
      canonicalRequest: string;
      stringToSign: string;
      providedSignature: string;
    };

export class SigV4Error extends Error {
  override readonly name = 'SigV4Error';
  constructor(readonly failure: SigV4Failure) {
    super(`SigV4 verification failed: ${failure.code}`);
  }
}

export interface VerifiedSignature {
  location: SignatureLocation;
  accessKeyId: string;
  signedHeaders: string[];
  /** What the signature covers as payload: a hex SHA-256, `UNSIGNED-PAYLOAD` or a `STREAMING-...` mode. */
  payloadHash: string;
  signature: string;
  /** `20260101T000000Z`. */
  amzDate: string;
  /** `20260101/us-east-1/s3/aws4_request`. */
  scope: string;
  /** The derived key, for checking the signatures of aws-chunked payload chunks. */
  signingKey: Uint8Array;
}

const QUERY_AUTH_PARAMETERS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Signature',
  'X-Amz-Date',
  'X-Amz-SignedHeaders',
  'X-Amz-Expires',
];

export function createSigV4Verifier(
  options: SigV4VerifierOptions,
): (request: SignedRequest) => Promise<VerifiedSignature> {
  return (request) => verifySigV4(request, options);
}

/** Resolves with what was verified; rejects with a SigV4Error describing the first failure, as AWS orders them. */
export async function verifySigV4(
  request: SignedRequest,
  options: SigV4VerifierOptions,
): Promise<VerifiedSignature> {
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const query = parseQuery(queryAt === -1 ? '' : request.url.slice(queryAt + 1));
  const authorization = header(request.headers, 'authorization');
  if (authorization !== undefined) return verifyHeaderAuth(request, path, query, authorization, options);
  if (
    options.allowQueryAuth !== false &&
    (hasParameter(query, 'X-Amz-Signature') || hasParameter(query, 'X-Amz-Algorithm'))
  ) {
    return verifyQueryAuth(request, path, query, options);
  }
  throw new SigV4Error({ code: 'MissingAuthentication' });
}

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

async function verifyHeaderAuth(
  request: SignedRequest,
  path: string,
  query: Query,
  authorization: string,
  options: SigV4VerifierOptions,
): Promise<VerifiedSignature> {
  const malformed = (message: string) => new SigV4Error({ code: 'Malformed', location: 'header', message });
  const [algorithm = '', ...rest] = authorization.trim().split(/\s+/);
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    throw malformed(
      `The authorization mechanism you have provided is not supported. Please use ${ALGORITHM_IDENTIFIER}.`,
    );
  }
  const parts = new Map(
    rest
      .join('')
      .split(',')
      .map((part) => {
        const at = part.indexOf('=');
        return [part.slice(0, at), part.slice(at + 1)] as const;
      }),
  );
  const credentialText = parts.get('Credential');
  const signedHeadersText = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  const missing = [
    credentialText ? '' : "Authorization header requires 'Credential' parameter.",
    signedHeadersText ? '' : "Authorization header requires 'SignedHeaders' parameter.",
    signature ? '' : "Authorization header requires 'Signature' parameter.",
  ].filter(Boolean);
  if (!credentialText || !signedHeadersText || !signature) throw malformed(missing.join(' '));
  const credential = parseCredential(credentialText, 'header');
  const key = checkCredential(credential, 'header', options, header(request.headers, 'x-amz-security-token'));

  const amzDate = header(request.headers, 'x-amz-date') ?? header(request.headers, 'date');
  if (!amzDate) {
    throw malformed("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const signingDate = parseAmzDate(amzDate) ?? parseHttpDate(amzDate);
  if (!signingDate) throw malformed(`X-Amz-Date must be in the ISO8601 Long Format; got '${amzDate}'.`);
  const longDate = formatAmzDate(signingDate);
  if (credential.date !== longDate.slice(0, 8)) {
    throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  }
  const nowMs = (options.now ?? Date.now)();
  const maxSkewMs = options.maxClockSkewMs ?? (options.service === 's3' ? 15 * 60_000 : 5 * 60_000);
  if (Math.abs(signingDate.getTime() - nowMs) > maxSkewMs) {
    throw new SigV4Error({
      code: 'RequestTimeTooSkewed',
      requestTime: amzDate,
      serverTime: new Date(nowMs),
      maxSkewMs,
    });
  }

  const signedHeaders = signedHeadersText.split(';');
  let payloadHash = header(request.headers, 'x-amz-content-sha256');
  if (payloadHash === undefined) {
    if (request.body === undefined) throw new SigV4Error({ code: 'MissingContentSha256' });
    payloadHash = sha256Hex(request.body);
  } else if (request.body !== undefined && /^[0-9a-f]{64}$/i.test(payloadHash)) {
    const computed = sha256Hex(request.body);
    if (computed !== payloadHash.toLowerCase()) {
      throw new SigV4Error({ code: 'ContentSha256Mismatch', claimed: payloadHash, computed });
    }
  }
  checkAmzHeadersSigned(request.headers, signedHeaders, options);
  return checkSignature({
    request,
    path,
    query,
    credential,
    signedHeaders,
    signature,
    longDate,
    payloadHash,
    location: 'header',
    key,
    options,
  });
}

async function verifyQueryAuth(
  request: SignedRequest,
  path: string,
  query: Query,
  options: SigV4VerifierOptions,
): Promise<VerifiedSignature> {
  const malformed = (message: string) => new SigV4Error({ code: 'Malformed', location: 'query', message });
  const value = (name: string) => firstValue(query, name);
  if (QUERY_AUTH_PARAMETERS.some((name) => !value(name))) {
    throw malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const algorithm = value('X-Amz-Algorithm') ?? '';
  if (algorithm !== ALGORITHM_IDENTIFIER) {
    throw malformed(`X-Amz-Algorithm only supports "${ALGORITHM_IDENTIFIER}"`);
  }
  const credential = parseCredential(value('X-Amz-Credential') ?? '', 'query');
  const amzDate = value('X-Amz-Date') ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    throw malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const expiresText = value('X-Amz-Expires') ?? '';
  if (!/^\d+$/.test(expiresText)) {
    throw malformed(
      /^-\d+$/.test(expiresText) ? 'X-Amz-Expires must be non-negative' : 'X-Amz-Expires should be a number',
    );
  }
  const expiresSeconds = Number(expiresText);
  if (expiresSeconds > MAX_PRESIGNED_TTL) throw new SigV4Error({ code: 'ExpiresTooLarge', expiresSeconds });
  const key = checkCredential(credential, 'query', options, value('X-Amz-Security-Token'));
  if (credential.date !== amzDate.slice(0, 8)) {
    throw malformed('Invalid credential date. Date is not the same as X-Amz-Date.');
  }
  const signedHeaders = (value('X-Amz-SignedHeaders') ?? '').split(';');
  const signature = value('X-Amz-Signature') ?? '';
  const payloadHash =
    value('X-Amz-Content-Sha256') ??
    (options.service === 's3' ? UNSIGNED_PAYLOAD : sha256Hex(request.body ?? Buffer.alloc(0)));
  const verified = await checkSignature({
    request,
    path,
    query,
    credential,
    signedHeaders,
    signature,
    longDate: amzDate,
    payloadHash,
    location: 'query',
    key,
    options,
  });
  // Checked after the signature, as AWS does: an altered URL is a signature mismatch even when expired too.
  const nowMs = (options.now ?? Date.now)();
  const expiresAt = new Date(signingDate.getTime() + expiresSeconds * 1000);
  const maxSkewMs = options.maxClockSkewMs ?? (options.service === 's3' ? 15 * 60_000 : 5 * 60_000);
  if (signingDate.getTime() - maxSkewMs > nowMs) {
    throw new SigV4Error({ code: 'NotYetValid', amzDate, expiresAt, serverTime: new Date(nowMs) });
  }
  if (nowMs > expiresAt.getTime()) {
    throw new SigV4Error({ code: 'Expired', expiresSeconds, expiresAt, serverTime: new Date(nowMs) });
  }
  checkAmzHeadersSigned(request.headers, signedHeaders, options);
  return verified;
}

function parseCredential(text: string, location: SignatureLocation): Credential {
  const scope = text.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new SigV4Error({
      code: 'Malformed',
      location,
      message:
        location === 'header'
          ? `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`
          : `Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`,
    });
  }
  const [accessKeyId = '', date = '', region = '', service = ''] = scope;
  return { accessKeyId, date, region, service };
}

/** The key pair the credential names (the account's, or a role session's with its token); throws otherwise. */
function checkCredential(
  credential: Credential,
  location: SignatureLocation,
  options: SigV4VerifierOptions,
  sessionToken: string | undefined,
): AccessKeyPair {
  const key = keyPairOf(credential.accessKeyId, sessionToken, options.credentials);
  if (key === undefined) {
    throw new SigV4Error({ code: 'UnknownAccessKey', location, accessKeyId: credential.accessKeyId });
  }
  if (credential.service !== options.service) {
    throw new SigV4Error({
      code: 'WrongService',
      location,
      service: credential.service,
      expected: options.service,
    });
  }
  if (credential.region !== options.region) {
    throw new SigV4Error({
      code: 'WrongRegion',
      location,
      region: credential.region,
      expected: options.region,
    });
  }
  return key;
}

function checkAmzHeadersSigned(
  headers: HeaderValues,
  signedHeaders: string[],
  options: SigV4VerifierOptions,
): void {
  if (!options.requireSignedAmzHeaders) return;
  const unsigned = Object.keys(headers).filter(
    (name) => name.startsWith('x-amz-') && headers[name] !== undefined && !signedHeaders.includes(name),
  );
  if (unsigned.length > 0) throw new SigV4Error({ code: 'HeadersNotSigned', headers: unsigned.sort() });
}

/**
 * The account's key pair, or a role session's whose token came with the request (AWS refuses a session key
 * without its token, or with another's: "The security token included in the request is invalid").
 */
function keyPairOf(
  accessKeyId: string,
  sessionToken: string | undefined,
  account: AccessKeyPair,
): AccessKeyPair | undefined {
  if (accessKeyId === account.accessKeyId) return account;
  const session = account.sessions?.sessionKeys(accessKeyId);
  if (session === undefined || session.sessionToken !== sessionToken) return undefined;
  return { accessKeyId, secretAccessKey: session.secretAccessKey };
}

interface SignatureCheck {
  request: SignedRequest;
  path: string;
  query: Query;
  credential: Credential;
  signedHeaders: string[];
  signature: string;
  longDate: string;
  payloadHash: string;
  location: SignatureLocation;
  /** Whose secret signs: the account's or a role session's. */
  key: AccessKeyPair;
  options: SigV4VerifierOptions;
}

async function checkSignature(check: SignatureCheck): Promise<VerifiedSignature> {
  const { request, credential, options } = check;
  const canonicalHeaders: Record<string, string> = {};
  // The host is always signed: as `host` over HTTP/1, as the `:authority` pseudo-header over HTTP/2.
  let complete = check.signedHeaders.includes('host') || check.signedHeaders.includes(':authority');
  for (const name of check.signedHeaders) {
    const value = header(request.headers, name);
    if (value === undefined) complete = false;
    else canonicalHeaders[name] = value.trim().replace(/\s+/g, ' ');
  }
  const scope = `${credential.date}/${credential.region}/${credential.service}/aws4_request`;
  const form = new CanonicalForm(options.service, options.uriEscapePath ?? options.service !== 's3');
  const query = check.location === 'query' ? withoutSignature(check.query) : check.query;
  const { canonicalRequest, stringToSign } = await form.describe({
    method: request.method,
    path: check.path,
    query,
    headers: canonicalHeaders,
    payloadHash: check.payloadHash,
    longDate: check.longDate,
    scope,
  });
  const signingKey = await getSigningKey(
    NodeSha256,
    check.key,
    credential.date,
    credential.region,
    credential.service,
  );
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  // A header the client says it signed but did not send, or a signature without the host, cannot match.
  if (!complete || !sameSignature(expected, check.signature)) {
    throw new SigV4Error({
      code: 'SignatureMismatch',
      location: check.location,
      accessKeyId: credential.accessKeyId,
      canonicalRequest,
      stringToSign,
      providedSignature: check.signature,
    });
  }
  return {
    location: check.location,
    accessKeyId: credential.accessKeyId,
    signedHeaders: check.signedHeaders,
    payloadHash: check.payloadHash,
    signature: check.signature,
    amzDate: check.longDate,
    scope,
    signingKey,
  };
}

/** @smithy/signature-v4's canonical request and string to sign, the very code the SDK signs with. */
class CanonicalForm extends SignatureV4Base {
  constructor(service: string, uriEscapePath: boolean) {
    super({
      service,
      region: 'unused',
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      sha256: NodeSha256,
      uriEscapePath,
      applyChecksum: false,
    });
  }

  async describe(input: {
    method: string;
    path: string;
    query: Query;
    headers: Record<string, string>;
    payloadHash: string;
    longDate: string;
    scope: string;
  }): Promise<{ canonicalRequest: string; stringToSign: string }> {
    const request = {
      method: input.method,
      protocol: 'http:',
      hostname: '',
      path: input.path,
      query: input.query,
      headers: input.headers,
    };
    const canonicalRequest = this.createCanonicalRequest(request, input.headers, input.payloadHash);
    const stringToSign = await this.createStringToSign(
      input.longDate,
      input.scope,
      canonicalRequest,
      ALGORITHM_IDENTIFIER,
    );
    return { canonicalRequest, stringToSign };
  }
}

type Query = Record<string, string | string[]>;

/**
 * Decodes the query as AWS does for signing: percent-escapes only (`+` stays a plus sign, unlike form
 * decoding), keys kept in the case they were sent in.
 */
function parseQuery(text: string): Query {
  const parsed: Query = {};
  if (!text) return parsed;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const key = decode(at === -1 ? pair : pair.slice(0, at));
    const value = at === -1 ? '' : decode(pair.slice(at + 1));
    const existing = parsed[key];
    parsed[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return parsed;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function hasParameter(query: Query, name: string): boolean {
  return firstValue(query, name) !== undefined;
}

function firstValue(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

function withoutSignature(query: Query): Query {
  const { ['X-Amz-Signature']: _signature, ...rest } = query;
  return rest;
}

function header(headers: HeaderValues, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

export function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [year = 0, month = 0, day = 0, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
}

function parseHttpDate(value: string): Date | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) || !/GMT$/.test(value) ? undefined : new Date(ms);
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Node's native SHA-256 for the signer: a pure-JS hash of a large body would cost tens of milliseconds. */
export class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBinary(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBinary(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

function toBinary(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

function sameSignature(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
