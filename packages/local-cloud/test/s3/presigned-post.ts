// Browser form uploads (POST Object) as clients make them. presignPost follows @aws-sdk/s3-presigned-post's
// createPresignedPost step for step (and AWS's documented algorithm), synchronously and with every part in the
// test's hands, so that tests can make the forms the SDK would never make: the form's
// fields (`bucket`, the X-Amz-* fields) each get an exact-match condition, the key an exact match or, ending
// in `${filename}`, a starts-with; the policy is base64 JSON; X-Amz-Signature is the hex HMAC-SHA256 of that
// base64 text under the SigV4 signing key. The key is derived here by hand, not with local-cloud's code.
import { createHmac } from 'node:crypto';

export interface PresignOptions {
  /** The S3 endpoint: the form posts to `<endpoint>/<bucket>`. */
  endpoint: string;
  bucket: string;
  key: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  conditions?: unknown[];
  /** Extra fields, each given an exact-match condition. */
  fields?: Record<string, string>;
  /** Seconds the policy is valid; default 3600, as the SDK's. */
  expires?: number;
  now?: Date;
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

export function presignPost(options: PresignOptions): PresignedPost {
  const now = options.now ?? new Date();
  const signingDate = iso8601(now).replace(/[-:]/g, '');
  const shortDate = signingDate.slice(0, 8);
  const credential = `${options.credentials.accessKeyId}/${shortDate}/${options.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    ...options.fields,
    bucket: options.bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': signingDate,
  };
  const conditions = [
    ...(options.conditions ?? []),
    ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
    options.key.endsWith('${filename}')
      ? ['starts-with', '$key', options.key.slice(0, options.key.lastIndexOf('${filename}'))]
      : { key: options.key },
  ];
  const expiration = new Date(now.getTime() + (options.expires ?? 3600) * 1000);
  const policy = encodePolicy({ expiration: iso8601(expiration), conditions });
  return {
    url: `${options.endpoint}/${options.bucket}`,
    fields: {
      ...fields,
      key: options.key,
      Policy: policy,
      'X-Amz-Signature': signPolicy(policy, options.credentials.secretAccessKey, shortDate, options.region),
    },
  };
}

export function encodePolicy(document: unknown): string {
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64');
}

/** AWS's steps: kDate, kRegion, kService, kSigning, then the HMAC of the base64 policy, in hex. */
export function signPolicy(policyBase64: string, secret: string, date: string, region: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
  return createHmac('sha256', signingKey).update(policyBase64).digest('hex');
}

function iso8601(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface FileToSend {
  content: string | Buffer;
  /** Default `photo.jpg`. */
  filename?: string;
  type?: string;
}

/** POSTs the form as a browser's fetch sends a FormData: the fields in order, then the file. */
export function submit(
  post: PresignedPost,
  file: FileToSend | undefined,
  options: { extra?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...options.extra })) form.append(name, value);
  if (file) {
    const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    form.append(
      'file',
      new Blob([new Uint8Array(content)], { type: file.type ?? 'image/jpeg' }),
      file.filename ?? 'photo.jpg',
    );
  }
  return fetch(post.url, { method: 'POST', body: form, headers: options.headers, redirect: 'manual' });
}

/** A multipart/form-data body written by hand, for what no browser sends. */
export function multipartBody(
  boundary: string,
  parts: { name: string; value: string | Buffer; filename?: string; headers?: string[] }[],
  options: { close?: boolean } = {},
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    chunks.push(
      Buffer.from(`--${boundary}\r\n${[disposition, ...(part.headers ?? [])].join('\r\n')}\r\n\r\n`),
    );
    chunks.push(typeof part.value === 'string' ? Buffer.from(part.value) : part.value);
    chunks.push(Buffer.from('\r\n'));
  }
  if (options.close !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** The fields of a presigned post as parts, then the file part (for multipartBody). */
export function formParts(
  post: PresignedPost,
  file: { content: string | Buffer; filename?: string },
): { name: string; value: string | Buffer; filename?: string }[] {
  return [
    ...Object.entries(post.fields).map(([name, value]) => ({ name, value })),
    { name: 'file', value: file.content, filename: file.filename ?? 'photo.jpg' },
  ];
}

export interface RawPostAnswer {
  status: number;
  body: string;
}

/**
 * POSTs a body written by hand, in the chunks given, awaiting `between` after each but the last (the chunks
 * stream: the server sees the first ones before the last is sent).
 */
export async function postRaw(
  url: string,
  contentType: string | undefined,
  chunks: Buffer[],
  between?: (index: number) => Promise<void>,
): Promise<RawPostAnswer> {
  const body = ReadableStream.from(
    (async function* () {
      for (const [index, chunk] of chunks.entries()) {
        yield new Uint8Array(chunk);
        if (index < chunks.length - 1) await between?.(index);
      }
    })(),
  );
  const response = await fetch(url, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
  });
  return { status: response.status, body: await response.text() };
}

/** `<Code>`, `<Message>` and the other elements of an S3 error document. */
export function errorOf(xml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, name = '', value = ''] of xml.matchAll(/<([A-Za-z-]+)>([^<]*)<\/\1>/g)) {
    fields[name] = value
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return fields;
}
