// Verifies AWS Signature Version 4 on incoming requests the way AWS does: the signature is computed again
// with the secret key of the access key the request names, over the headers it says it signed, and compared.
// A client configured with the wrong key pair, region or body fails here as it would on AWS.
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from './errors';

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignedRequest {
  method: string;
  /** The request target as sent: path still percent-encoded, then `?query`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SignatureVerifierOptions {
  credentials: AccessKeyPair;
  region: string;
  service: string;
  now?: () => number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a signature dated more than 5 minutes from its own clock. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function createSignatureVerifier(
  options: SignatureVerifierOptions,
): (request: SignedRequest) => Promise<void> {
  const now = options.now ?? Date.now;
  return async (request) => {
    const authorization = parseAuthorization(request.headers.authorization);
    if (authorization.accessKeyId !== options.credentials.accessKeyId) {
      throw new UnrecognizedClientException();
    }
    if (authorization.service !== options.service) {
      throw new InvalidSignatureException(
        `Credential should be scoped to correct service: '${options.service}'. `,
      );
    }
    if (authorization.region !== options.region) {
      throw new InvalidSignatureException(
        `Credential should be scoped to a valid region, not '${authorization.region}'. `,
      );
    }
    const amzDate = header(request.headers, 'x-amz-date');
    if (!amzDate) {
      throw new IncompleteSignatureException(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    const signingDate = parseAmzDate(amzDate);
    checkClockSkew(amzDate, signingDate, now());
    const expected = await computeSignature(request, authorization, signingDate, options);
    if (!sameSignature(expected, authorization.signature)) throw new InvalidSignatureException();
  };
}

function parseAuthorization(value: string | undefined): ParsedAuthorization {
  if (!value) throw new MissingAuthenticationTokenException();
  const [algorithm, ...rest] = value.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) {
    throw new IncompleteSignatureException(
      `Authorization header requires the '${ALGORITHM}' algorithm; this request used '${algorithm}'.`,
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
  const credential = parts.get('Credential');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  const missing = [
    credential ? '' : "Authorization header requires 'Credential' parameter.",
    signedHeaders ? '' : "Authorization header requires 'SignedHeaders' parameter.",
    signature ? '' : "Authorization header requires 'Signature' parameter.",
  ].filter(Boolean);
  if (!credential || !signedHeaders || !signature) throw new IncompleteSignatureException(missing.join(' '));
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new IncompleteSignatureException(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'.`,
    );
  }
  const [accessKeyId = '', date = '', region = '', service = ''] = scope;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

function parseAmzDate(value: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) {
    throw new IncompleteSignatureException(`X-Amz-Date must be in the ISO8601 basic format; got '${value}'.`);
  }
  const [year = 0, month = 0, day = 0, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map(Number);
  return new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
}

function checkClockSkew(amzDate: string, signingDate: Date, nowMs: number): void {
  const format = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  if (signingDate.getTime() < nowMs - MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature expired: ${amzDate} is now earlier than ${format(nowMs - MAX_CLOCK_SKEW_MS)} (${format(nowMs)} - 5 min.)`,
    );
  }
  if (signingDate.getTime() > nowMs + MAX_CLOCK_SKEW_MS) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${amzDate} is still later than ${format(nowMs + MAX_CLOCK_SKEW_MS)} (${format(nowMs)} + 5 min.)`,
    );
  }
}

async function computeSignature(
  request: SignedRequest,
  authorization: ParsedAuthorization,
  signingDate: Date,
  options: SignatureVerifierOptions,
): Promise<string> {
  const headers: Record<string, string> = {};
  for (const name of authorization.signedHeaders) {
    const value = header(request.headers, name);
    // A header the client says it signed but did not send cannot match: AWS answers the same way.
    if (value === undefined) throw new InvalidSignatureException();
    headers[name] = value;
  }
  const claimedPayloadHash = headers['x-amz-content-sha256'];
  if (claimedPayloadHash !== undefined && claimedPayloadHash !== sha256Hex(request.body)) {
    throw new InvalidSignatureException();
  }
  const signer = new SignatureV4({
    credentials: { ...options.credentials, sessionToken: headers['x-amz-security-token'] },
    region: options.region,
    service: options.service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const host = header(request.headers, 'host') ?? '';
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path,
      query: queryAt === -1 ? {} : parseQuery(request.url.slice(queryAt + 1)),
      headers,
      body: request.body.length > 0 ? request.body : undefined,
    },
    { signingDate, signableHeaders: new Set(authorization.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
  const expectedHeaders = /SignedHeaders=([^,]+)/.exec(String(signed.headers.authorization))?.[1];
  // The signer always signs x-amz-date; a client that did not sign it must not pass.
  return expectedHeaders === authorization.signedHeaders.join(';') ? expected : '';
}

function parseQuery(query: string): Record<string, string | string[]> {
  const parsed: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = parsed[key];
    parsed[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return parsed;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Node's native SHA-256 for the signer: a pure-JS hash of a 6 MB body would cost tens of milliseconds. */
class NodeSha256 {
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

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

function sameSignature(expected: string, actual: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
