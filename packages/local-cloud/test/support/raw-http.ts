// Requests with exact control over what goes on the wire: fetch would normalise `/../` away and refuse some
// of the targets these tests send. Signed ones are signed as the AWS SDK signs them, so they get past a
// service's signature check to the code behind it.
import http, { type IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawRequest {
  method?: string;
  /** The request target exactly as sent: `/%E0%A4%A`, `/../../etc/passwd`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function sendRaw(origin: string, request: RawRequest): Promise<RawAnswer> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'GET',
        path: request.path,
        headers: request.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

export interface Signing {
  service: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** False for S3, which signs the path as sent; other services sign it encoded once more. */
  escapePath?: boolean;
}

export async function sendSigned(origin: string, request: RawRequest, signing: Signing): Promise<RawAnswer> {
  const url = new URL(origin);
  const signer = new SignatureV4({
    service: signing.service,
    region: signing.region,
    credentials: signing.credentials,
    sha256: Sha256,
    uriEscapePath: signing.escapePath ?? true,
  });
  const [path = '/', query] = request.path.split('?', 2);
  const signed = await signer.sign({
    method: request.method ?? 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: query === undefined ? undefined : Object.fromEntries(new URLSearchParams(query)),
    headers: { host: url.host, ...request.headers },
    body: request.body,
  });
  return sendRaw(origin, { ...request, headers: signed.headers });
}
