// POST Object: an upload from a browser form (`<form method="post" enctype="multipart/form-data">` to the
// bucket's URL, or fetch with a FormData), as @aws-sdk/s3-presigned-post and boto3's generate_presigned_post
// prepare it. The request itself is unsigned: the form carries a policy and its SigV4 signature
// (post-policy.ts). The file streams to disk as it arrives, like a PutObject body, and is stored, and
// reported (ObjectCreated:Post), only once the policy, the size limits and the body's end have all held.
// The answer is S3's: 204 by default, or the form's success_action_status (200, or 201 with a PostResponse
// document), or a 303 to its success_action_redirect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { S3Error, entityTooLarge, malformedPostRequest, missingPostField } from './errors';
import { storeObject } from './object-operations';
import { formBoundary, notOneFile, readPostForm } from './post-form';
import {
  FormFields,
  authenticatePost,
  checkPolicy,
  checkSize,
  sizeLimits,
  type PostAuthority,
} from './post-policy';
import type { RequestTarget } from './request-target';
import { requireBucket, type S3Backend, type S3Request } from './s3-context';
import { stageBody, type StagedBody } from './staged-body';
import { xmlDocument } from './xml';

export interface PostRequest {
  req: IncomingMessage;
  res: ServerResponse;
  target: RequestTarget;
  headers: Record<string, string | undefined>;
  requestId: string;
  hostId: string;
  sourceIp: string;
}

/** Form fields stored as the object's headers (PutObject takes them as headers). */
const HEADER_FIELDS = [
  'content-type',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
];

export async function postObject(
  backend: S3Backend,
  post: PostRequest,
  authority: PostAuthority,
): Promise<void> {
  const bucket = requireBucket(backend, post.target.bucket);
  const form = formBoundary(post.headers['content-type']);
  if (!form) {
    throw new S3Error(
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
      {
        Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
      },
    );
  }
  const { boundary } = form;
  if (boundary === undefined) throw malformedPostRequest();
  // One iterator over the body, so that whatever is left of it can be drained after a refusal.
  const iterator = post.req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let staged: StagedBody | undefined;
  try {
    const {
      fields: sent,
      file,
      finish,
    } = await readPostForm({ [Symbol.asyncIterator]: () => iterator }, boundary);
    const fields = new FormFields(
      sent.map(({ name, value }) => ({ name, value: expandFilename(value, file?.filename) })),
    );
    const key = fields.get('key');
    if (!key) throw missingPostField('key');
    if (!file) throw notOneFile(0);
    const { accessKeyId, policy } = await authenticatePost(fields, authority);
    checkPolicy(policy, fields, bucket, backend.now());
    const limits = sizeLimits(policy);
    const maxBytes = Math.min(backend.maxObjectBytes, limits?.max ?? Infinity);
    const headers = objectHeaders(fields);
    const stagingFile = backend.store.stagingFile();
    let body: Buffer = Buffer.alloc(0);
    if (stagingFile) staged = await stageBody(file.content, stagingFile, headers, maxBytes);
    else body = await collect(file.content, maxBytes);
    await finish();
    checkSize(limits, staged?.size ?? body.length);
    const request: S3Request = {
      req: post.req,
      res: post.res,
      method: 'POST',
      target: { ...post.target, key },
      headers,
      body,
      staged,
      requestId: post.requestId,
      hostId: post.hostId,
      principalId: `AWS:${accessKeyId}`,
      sourceIp: post.sourceIp,
    };
    const { meta } = await storeObject(backend, request, 'ObjectCreated:Post');
    answer(post, fields, { bucket, key, etag: meta.etag });
  } catch (error) {
    await drain(iterator);
    throw error;
  } finally {
    // Refused: the staged bytes go; stored, the file is already gone.
    await staged?.discard();
  }
}

/** `${filename}` in any field is the name of the file (its last path segment); kept as is without one. */
function expandFilename(value: string, filename: string | undefined): string {
  if (filename === undefined || !value.includes('${filename}')) return value;
  const base = filename.slice(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
  return value.split('${filename}').join(base);
}

/**
 * The fields as PutObject's headers, for what the two share (type, headers, metadata, checksums). Values
 * HTTP headers cannot carry are stored as S3 stores a form's non-ASCII metadata: RFC 2047 encoded.
 */
function objectHeaders(fields: FormFields): Record<string, string> {
  const headers = fields.asHeaders();
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-amz-meta-') || HEADER_FIELDS.includes(name)) headers[name] = mailSafe(value);
  }
  return headers;
}

function mailSafe(value: string): string {
  if (/^[\t\x20-\x7e]*$/.test(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  // Control characters (tab aside) as base64, text as quoted-printable words.
  const control = [...value].some((char) => char !== '\t' && (char < ' ' || char === '\x7f'));
  if (control) return `=?UTF-8?B?${bytes.toString('base64')}?=`;
  const encoded = [...bytes]
    .map((byte) =>
      byte === 0x20
        ? '_'
        : byte > 0x20 && byte < 0x7f && byte !== 0x3d && byte !== 0x3f && byte !== 0x5f
          ? String.fromCharCode(byte)
          : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
  return `=?UTF-8?Q?${encoded}?=`;
}

/** The file in memory (a service without a data folder keeps everything in memory). */
async function collect(content: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of content) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) throw entityTooLarge(size, maxBytes);
  return Buffer.concat(chunks);
}

/** Reads what is left of a refused request, so that the answer can be written on its connection. */
async function drain(iterator: AsyncIterator<Buffer>): Promise<void> {
  try {
    while (!(await iterator.next()).done);
  } catch {
    // The client went away: nothing to drain.
  }
}

function answer(
  post: PostRequest,
  fields: FormFields,
  object: { bucket: string; key: string; etag: string },
): void {
  const etag = `"${object.etag}"`;
  const location = objectUrl(post, object.bucket, object.key);
  const redirect = redirectTarget(fields.get('success_action_redirect') ?? fields.get('redirect'));
  if (redirect !== undefined) {
    const query = new URLSearchParams({ bucket: object.bucket, key: object.key, etag });
    const target = `${redirect}${redirect.includes('?') ? '&' : '?'}${query.toString()}`;
    post.res.writeHead(303, { location: target, etag, 'content-length': 0 }).end();
    return;
  }
  const status = fields.get('success_action_status');
  if (status === '201') {
    // No namespace on PostResponse, as S3 sends it.
    const body = Buffer.from(
      xmlDocument(
        'PostResponse',
        { Location: location, Bucket: object.bucket, Key: object.key, ETag: etag },
        null,
      ),
    );
    post.res
      .writeHead(201, { 'content-type': 'application/xml', 'content-length': body.length, etag, location })
      .end(body);
    return;
  }
  post.res.writeHead(status === '200' ? 200 : 204, { etag, location, 'content-length': 0 }).end();
}

/** The URL of the stored object, as S3 puts it in Location (the key's slashes encoded too). */
function objectUrl(post: PostRequest, bucket: string, key: string): string {
  const scheme = (post.req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  const host = post.headers.host ?? '127.0.0.1';
  const path = post.target.style === 'virtual-hosted' ? '' : `/${bucket}`;
  return `${scheme}://${host}${path}/${encodeURIComponent(key)}`;
}

/** An absolute http(s) URL as written; S3 ignores a redirect it cannot interpret (a relative one). */
function redirectTarget(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // Written as given unless a header cannot carry it as is.
  return /^[\x20-\x7e]*$/.test(value) ? value : url.href;
}
