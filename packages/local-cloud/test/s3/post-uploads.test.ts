// Browser form uploads (POST Object) as browsers send them (fetch with a FormData) and as
// createPresignedPost prepares them: the file is stored and reported only when the policy holds, and every
// way a form can break gets the answer S3 gives (docs/reference/aws-behaviour.md#browser-form-uploads-post-policy).
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { S3ObjectEvent } from '../../src/services/s3/object-event';
import {
  encodePolicy,
  errorOf,
  formParts,
  multipartBody,
  postRaw,
  presignPost,
  signPolicy,
  submit,
  type PresignOptions,
} from './presigned-post';
import {
  CREDENTIALS,
  REGION,
  serviceDefinition,
  startS3,
  temporaryDirectory,
  type S3Harness,
} from './s3-harness';

const BUCKET = 'post-uploads';
const APP = 'http://localhost:5173';
const events: S3ObjectEvent[] = [];
const scratch = temporaryDirectory('s3-post');
let harness: S3Harness;

beforeAll(async () => {
  harness = await startS3({
    inMemory: false,
    onObjectEvent: (event) => {
      events.push(event);
    },
    service: serviceDefinition({
      servicePath: scratch.dir,
      resources: {
        Uploads: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: BUCKET,
            CorsConfiguration: {
              CorsRules: [{ AllowedOrigins: [APP], AllowedMethods: ['POST', 'GET'], AllowedHeaders: ['*'] }],
            },
          },
        },
      },
    }),
  });
});

afterAll(async () => {
  await harness.stop();
  scratch.remove();
});

const presign = (options: Partial<PresignOptions> = {}) =>
  presignPost({
    endpoint: harness.url,
    bucket: BUCKET,
    key: 'uploads/${filename}',
    credentials: CREDENTIALS,
    region: REGION,
    ...options,
  });

const exists = async (key: string) =>
  harness.client
    .send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))
    .then(() => true)
    .catch(() => false);

const read = async (key: string) => {
  const object = await harness.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { object, body: await object.Body?.transformToString() };
};

describe('a form createPresignedPost prepared', () => {
  it('stores the file under its key with ${filename} expanded, and answers 204 with the ETag and the object’s URL', async () => {
    const post = presign({
      conditions: [
        ['content-length-range', 1, 1024],
        ['starts-with', '$Content-Type', 'image/'],
      ],
      fields: { 'Content-Type': 'image/png', 'x-amz-meta-owner': 'ada', 'Cache-Control': 'max-age=60' },
    });

    const response = await submit(post, { content: 'a small png', filename: 'C:\\Users\\ada\\cat.png' });

    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('etag')).toBe(`"${createHash('md5').update('a small png').digest('hex')}"`);
    expect(response.headers.get('location')).toBe(`${harness.url}/${BUCKET}/uploads%2Fcat.png`);
    const { object, body } = await read('uploads/cat.png');
    expect(body).toBe('a small png');
    expect(object.ContentType).toBe('image/png');
    expect(object.CacheControl).toBe('max-age=60');
    expect(object.Metadata).toEqual({ owner: 'ada' });
    expect(object.ETag).toBe(response.headers.get('etag'));
  });

  it('takes the form the real @aws-sdk/s3-presigned-post makes, and refuses it once tampered with', async () => {
    const post = await createPresignedPost(harness.client, {
      Bucket: BUCKET,
      Key: 'sdk/${filename}',
      Conditions: [['content-length-range', 1, 1024]],
      Fields: { 'Content-Type': 'text/plain' },
      Expires: 600,
    });

    const response = await submit(post, {
      content: 'from the SDK',
      filename: 'note.txt',
      type: 'text/plain',
    });
    const tampered = await submit(
      { ...post, fields: { ...post.fields, 'Content-Type': 'text/html' } },
      { content: 'not allowed', filename: 'page.html' },
    );

    expect(response.status).toBe(204);
    expect((await read('sdk/note.txt')).body).toBe('from the SDK');
    expect(tampered.status).toBe(403);
    expect(await exists('sdk/page.html')).toBe(false);
  });

  it('reports the upload to notifications as ObjectCreated:Post, signed by the policy’s key', async () => {
    const response = await submit(presign({ key: 'events/report.txt' }), { content: 'twelve bytes' });
    await harness.s3.notificationsDelivered();

    expect(response.status).toBe(204);
    const event = events.find((candidate) => candidate.key === 'events/report.txt');
    expect(event).toMatchObject({
      eventName: 'ObjectCreated:Post',
      bucket: BUCKET,
      size: 12,
      principalId: `AWS:${CREDENTIALS.accessKeyId}`,
    });
  });

  it('answers success_action_status 201 with S3’s PostResponse, 200 with an empty body, anything else 204', async () => {
    const created = await submit(
      presign({ key: 'status/201.txt', fields: { success_action_status: '201' } }),
      {
        content: 'x',
      },
    );
    const ok = await submit(presign({ key: 'status/200.txt', fields: { success_action_status: '200' } }), {
      content: 'x',
    });
    const other = await submit(presign({ key: 'status/404.txt', fields: { success_action_status: '404' } }), {
      content: 'x',
    });

    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toBe('application/xml');
    const etag = created.headers.get('etag') ?? '';
    expect(await created.text()).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${harness.url}/${BUCKET}/status%2F201.txt</Location><Bucket>${BUCKET}</Bucket><Key>status/201.txt</Key><ETag>${etag.replace(/"/g, '&quot;')}</ETag></PostResponse>`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, '']);
    expect(other.status).toBe(204);
  });

  it('redirects with 303 to success_action_redirect, bucket, key and the quoted ETag added to its query', async () => {
    const redirect = 'https://app.example.com/done?upload=7';
    const response = await submit(
      presign({ key: 'redirect/a b.txt', fields: { success_action_redirect: redirect } }),
      { content: 'x' },
    );

    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    expect(location).toBe(
      `${redirect}&bucket=${BUCKET}&key=redirect%2Fa+b.txt&etag=${encodeURIComponent(response.headers.get('etag') ?? '')}`,
    );
  });

  it('ignores a success_action_redirect S3 cannot interpret (a relative URL) and answers 204', async () => {
    const response = await submit(
      presign({ key: 'redirect/relative.txt', fields: { success_action_redirect: '/done' } }),
      { content: 'x' },
    );

    expect(response.status).toBe(204);
  });

  it('stores non-ASCII metadata RFC 2047 encoded, as S3 returns it', async () => {
    const post = presign({ key: 'meta/unicode.txt', fields: { 'x-amz-meta-brand': 'ÄMÄZÕÑ S3' } });

    const response = await submit(post, { content: 'x' });

    expect(response.status).toBe(204);
    expect((await read('meta/unicode.txt')).object.Metadata).toEqual({
      brand: '=?UTF-8?Q?=C3=84M=C3=84Z=C3=95=C3=91_S3?=',
    });
  });

  it('accepts x-ignore- fields without a condition, and names and conditions in any case', async () => {
    const post = presign({ key: 'case/mixed.txt', conditions: [['STARTS-WITH', '$CONTENT-type', 'text/']] });
    const fields = { ...post.fields, 'content-TYPE': 'text/plain' };

    const response = await submit(
      { ...post, fields },
      { content: 'x' },
      { extra: { 'x-ignore-submit': 'Upload' } },
    );

    expect(response.status).toBe(204);
    expect((await read('case/mixed.txt')).object.ContentType).toBe('text/plain');
  });

  it('holds a starts-with on Content-Type for each type of a comma-separated list', async () => {
    const post = presign({ key: 'types/list.bin', conditions: [['starts-with', '$Content-Type', 'image/']] });

    const list = await submit(
      { ...post, fields: { ...post.fields, 'Content-Type': 'image/png,image/gif' } },
      { content: 'x' },
    );
    const mixed = await submit(
      { ...post, fields: { ...post.fields, 'Content-Type': 'image/png,text/plain' } },
      { content: 'x' },
    );

    expect(list.status).toBe(204);
    expect(mixed.status).toBe(403);
    expect(errorOf(await mixed.text()).Message).toBe(
      'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]',
    );
  });

  it('verifies the signature of AWS’s documented example form (SigV4 POST test vector) and redirects as it asks', async () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html: the policy (CRLF line ends),
    // its base64 and its signature under the example key, exactly as the page gives them.
    let clock = Date.parse('2015-12-29T12:00:00Z');
    const example = await startS3({
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      now: () => clock,
      service: serviceDefinition({
        resources: { Example: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'sigv4examplebucket' } } },
      }),
    });
    try {
      const policy = [
        '{ "expiration": "2015-12-30T12:00:00.000Z",',
        '  "conditions": [',
        '    {"bucket": "sigv4examplebucket"},',
        '    ["starts-with", "$key", "user/user1/"],',
        '    {"acl": "public-read"},',
        '    {"success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},',
        '    ["starts-with", "$Content-Type", "image/"],',
        '    {"x-amz-meta-uuid": "14365123651274"},',
        '    {"x-amz-server-side-encryption": "AES256"},',
        '    ["starts-with", "$x-amz-meta-tag", ""],',
        '',
        '    {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},',
        '    {"x-amz-algorithm": "AWS4-HMAC-SHA256"},',
        '    {"x-amz-date": "20151229T000000Z" }',
        '  ]',
        '}',
      ].join('\r\n');
      const base64 = Buffer.from(policy).toString('base64');
      expect(base64.slice(0, 40)).toBe('eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEy');
      expect(base64).toHaveLength(864);
      const fields = {
        key: 'user/user1/${filename}',
        acl: 'public-read',
        success_action_redirect: 'http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html',
        'Content-Type': 'image/jpeg',
        'x-amz-meta-uuid': '14365123651274',
        'x-amz-server-side-encryption': 'AES256',
        'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request',
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Date': '20151229T000000Z',
        'x-amz-meta-tag': '',
        Policy: base64,
        'X-Amz-Signature': '8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e',
      };

      const response = await submit(
        { url: `${example.url}/sigv4examplebucket`, fields },
        { content: 'jpeg bytes', filename: 'MyPicture.jpg' },
      );

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(
        /^http:\/\/sigv4examplebucket\.s3\.amazonaws\.com\/successful_upload\.html\?bucket=sigv4examplebucket&key=user%2Fuser1%2FMyPicture\.jpg&etag=%22[0-9a-f]{32}%22$/,
      );
      clock = Date.now(); // back to today, for the SDK's signed GetObject
      const stored = await example
        .clientWith({
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        })
        .send(new GetObjectCommand({ Bucket: 'sigv4examplebucket', Key: 'user/user1/MyPicture.jpg' }));
      expect(stored.ContentType).toBe('image/jpeg');
      expect(stored.Metadata).toEqual({ uuid: '14365123651274', tag: '' });
    } finally {
      await example.stop();
    }
  });
});

describe('the file of a form', () => {
  it('streams to disk as it arrives: the staging file grows before the request ends', async () => {
    const post = presign({ key: 'big/stream.bin' });
    const boundary = 'stream-boundary-7d2';
    const head = multipartBody(boundary, formParts(post, { content: '' }), { close: false });
    // The file part's own CRLF and the close delimiter come after the content.
    const opening = head.subarray(0, head.length - 2);
    const piece = Buffer.alloc(1024 * 1024, 0x61);
    const staging = path.join(harness.s3.dataDir ?? '', '.tmp');
    const stagedBytes = () =>
      readdirSync(staging).reduce((sum, name) => sum + statSync(path.join(staging, name)).size, 0);
    let seen = 0;

    const answer = await postRaw(
      post.url,
      `multipart/form-data; boundary=${boundary}`,
      [opening, piece, piece, Buffer.from(`\r\n--${boundary}--\r\n`)],
      async (index) => {
        if (index !== 1) return;
        // Half the file sent, none of its end: it is on disk already.
        for (let attempt = 0; attempt < 200 && stagedBytes() === 0; attempt += 1) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        seen = stagedBytes();
      },
    );

    expect(answer.status).toBe(204);
    expect(seen).toBeGreaterThan(0);
    const { object } = await read('big/stream.bin');
    expect(object.ContentLength).toBe(2 * 1024 * 1024);
    expect(readdirSync(staging)).toEqual([]);
  });

  it('is kept in memory for a service without a data folder, and stored the same', async () => {
    const memory = await startS3({
      service: serviceDefinition({
        resources: { Uploads: { Type: 'AWS::S3::Bucket', Properties: { BucketName: BUCKET } } },
      }),
    });
    try {
      const response = await submit(presign({ endpoint: memory.url, key: 'memory.txt' }), {
        content: 'in memory',
      });
      const stored = await memory.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'memory.txt' }));

      expect(response.status).toBe(204);
      expect(await stored.Body?.transformToString()).toBe('in memory');
    } finally {
      await memory.stop();
    }
  });
});

describe('a form S3 refuses, and nothing is stored', () => {
  const refused = async (response: Response, key: string): Promise<Record<string, string | number>> => {
    const error = errorOf(await response.text());
    expect(await exists(key)).toBe(false);
    return { status: response.status, ...error };
  };

  it.each([
    {
      form: 'with an expired policy',
      key: 'refused/expired.txt',
      send: () =>
        submit(presign({ key: 'refused/expired.txt', expires: 60, now: new Date(Date.now() - 120_000) }), {
          content: 'x',
        }),
      message: 'Invalid according to Policy: Policy expired.',
    },
    {
      form: 'with a key outside the starts-with prefix',
      key: 'private/owned.txt',
      send: () => {
        const post = presign({ key: 'uploads/${filename}' });
        return submit({ ...post, fields: { ...post.fields, key: 'private/owned.txt' } }, { content: 'x' });
      },
      message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]',
    },
    {
      form: 'with a field whose exact-match condition fails (quoted in its list form)',
      key: 'refused/meta.txt',
      send: () => {
        const post = presign({ key: 'refused/meta.txt', fields: { 'x-amz-meta-owner': 'ada' } });
        return submit(
          { ...post, fields: { ...post.fields, 'x-amz-meta-owner': 'mallory' } },
          { content: 'x' },
        );
      },
      message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$x-amz-meta-owner", "ada"]',
    },
    {
      form: 'with a field no condition names',
      key: 'refused/extra.txt',
      send: () =>
        submit(
          presign({ key: 'refused/extra.txt' }),
          { content: 'x' },
          { extra: { 'x-amz-meta-extra': 'smuggled' } },
        ),
      message: 'Invalid according to Policy: Extra input fields: x-amz-meta-extra',
    },
  ])('$form: 403 AccessDenied, "$message"', async ({ key, send, message }) => {
    expect(await refused(await send(), key)).toMatchObject({
      status: 403,
      Code: 'AccessDenied',
      Message: message,
    });
  });

  it('with a policy changed after signing: 403 SignatureDoesNotMatch, the policy sent as StringToSign', async () => {
    const post = presign({ key: 'refused/tampered.txt', conditions: [['content-length-range', 1, 10]] });
    const document = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString()) as {
      conditions: unknown[];
    };
    document.conditions[0] = ['content-length-range', 1, 1_000_000];
    const tampered = encodePolicy(document);

    const answer = await refused(
      await submit({ ...post, fields: { ...post.fields, Policy: tampered } }, { content: 'x'.repeat(100) }),
      'refused/tampered.txt',
    );

    expect(answer).toMatchObject({
      status: 403,
      Code: 'SignatureDoesNotMatch',
      AWSAccessKeyId: CREDENTIALS.accessKeyId,
      StringToSign: tampered,
      SignatureProvided: post.fields['X-Amz-Signature'],
    });
  });

  it('signed with another secret: 403 SignatureDoesNotMatch', async () => {
    const post = presign({
      key: 'refused/wrong-secret.txt',
      credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' },
    });

    expect(await refused(await submit(post, { content: 'x' }), 'refused/wrong-secret.txt')).toMatchObject({
      status: 403,
      Code: 'SignatureDoesNotMatch',
    });
  });

  it('signed by an unknown key: 403 InvalidAccessKeyId; in another Region: 400 naming the Region', async () => {
    const unknown = presign({
      key: 'refused/unknown.txt',
      credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 's' },
    });
    const elsewhere = presign({ key: 'refused/region.txt', region: 'eu-west-1' });

    expect(await refused(await submit(unknown, { content: 'x' }), 'refused/unknown.txt')).toMatchObject({
      status: 403,
      Code: 'InvalidAccessKeyId',
      AWSAccessKeyId: 'AKIDNOBODY',
    });
    expect(await refused(await submit(elsewhere, { content: 'x' }), 'refused/region.txt')).toMatchObject({
      status: 400,
      Code: 'InvalidArgument',
      Message: "the region 'eu-west-1' is wrong; expecting 'us-east-1'",
      ArgumentName: 'X-Amz-Credential',
      Region: 'us-east-1',
    });
  });

  it('with a file larger than content-length-range: 400 EntityTooLarge; smaller: 400 EntityTooSmall', async () => {
    const post = () => presign({ key: 'refused/size.bin', conditions: [['content-length-range', 5, 10]] });

    const large = await refused(await submit(post(), { content: 'x'.repeat(12) }), 'refused/size.bin');
    const small = await refused(await submit(post(), { content: 'x' }), 'refused/size.bin');
    const bounds = await Promise.all([
      submit(post(), { content: 'x'.repeat(5) }),
      submit(presign({ key: 'refused/size-10.bin', conditions: [['content-length-range', '5', '10']] }), {
        content: 'x'.repeat(10),
      }),
    ]);

    expect(large).toMatchObject({
      status: 400,
      Code: 'EntityTooLarge',
      ProposedSize: '12',
      MaxSizeAllowed: '10',
    });
    expect(small).toMatchObject({
      status: 400,
      Code: 'EntityTooSmall',
      ProposedSize: '1',
      MinSizeAllowed: '5',
    });
    expect(bounds.map((response) => response.status)).toEqual([204, 204]);
  });

  it('without a file: 400 InvalidArgument, exactly one file; with two: the same', async () => {
    const post = presign({ key: 'refused/no-file.txt' });
    const boundary = 'two-files';
    const twoFiles = multipartBody(boundary, [
      ...formParts(presign({ key: 'refused/two-files.txt' }), { content: 'one' }),
      { name: 'file', value: 'two', filename: 'b.txt' },
    ]);

    const none = await refused(await submit(post, undefined), 'refused/no-file.txt');
    const two = await postRaw(post.url, `multipart/form-data; boundary=${boundary}`, [twoFiles]);

    expect(none).toMatchObject({
      status: 400,
      Code: 'InvalidArgument',
      Message: 'POST requires exactly one file upload per request.',
      ArgumentName: 'file',
      ArgumentValue: '0',
    });
    expect([two.status, errorOf(two.body).ArgumentValue]).toEqual([400, '2']);
    expect(await exists('refused/two-files.txt')).toBe(false);
  });

  it('with the key after the file (S3 reads nothing after it): 400 InvalidArgument naming key', async () => {
    const post = presign({ key: 'refused/late-key.txt' });
    const { key, ...before } = post.fields;
    const boundary = 'late-key';
    const body = multipartBody(boundary, [
      ...Object.entries(before).map(([name, value]) => ({ name, value })),
      { name: 'file', value: 'x', filename: 'x.txt' },
      { name: 'key', value: key ?? '' },
    ]);

    const answer = await postRaw(post.url, `multipart/form-data; boundary=${boundary}`, [body]);

    expect(answer.status).toBe(400);
    expect(errorOf(answer.body)).toMatchObject({
      Code: 'InvalidArgument',
      Message:
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
      ArgumentName: 'key',
    });
  });

  it('without X-Amz-Signature: 400 InvalidArgument naming it; with a policy but no signature fields: 403', async () => {
    const post = presign({ key: 'refused/unsigned.txt' });
    const { 'X-Amz-Signature': _signature, ...unsigned } = post.fields;
    const {
      'X-Amz-Algorithm': _algorithm,
      'X-Amz-Credential': _credential,
      'X-Amz-Date': _date,
      ...bare
    } = unsigned;

    const missing = await refused(
      await submit({ ...post, fields: unsigned }, { content: 'x' }),
      'refused/unsigned.txt',
    );
    const anonymous = await refused(
      await submit({ ...post, fields: bare }, { content: 'x' }),
      'refused/unsigned.txt',
    );
    const noPolicy = await refused(
      await submit({ url: post.url, fields: { key: 'refused/unsigned.txt' } }, { content: 'x' }),
      'refused/unsigned.txt',
    );

    expect(missing).toMatchObject({ status: 400, Code: 'InvalidArgument', ArgumentName: 'X-Amz-Signature' });
    expect(anonymous).toMatchObject({ status: 403, Code: 'AccessDenied', Message: 'Access Denied' });
    expect(noPolicy).toMatchObject({ status: 403, Code: 'AccessDenied', Message: 'Access Denied' });
  });

  it('signed with Signature Version 2 (AWSAccessKeyId, signature): 400 InvalidRequest, use AWS4-HMAC-SHA256', async () => {
    const post = presign({ key: 'refused/sigv2.txt' });
    const fields = {
      key: 'refused/sigv2.txt',
      AWSAccessKeyId: CREDENTIALS.accessKeyId,
      policy: post.fields.Policy ?? '',
      signature: 'c2lndjIgc2lnbmF0dXJl',
    };

    expect(
      await refused(await submit({ url: post.url, fields }, { content: 'x' }), 'refused/sigv2.txt'),
    ).toMatchObject({
      status: 400,
      Code: 'InvalidRequest',
      Message: 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
    });
  });

  it('with a signed policy that is not JSON, or a condition of two properties: 400 InvalidPolicyDocument', async () => {
    const signedAs = (policy: string) => {
      const post = presign({ key: 'refused/policy.txt' });
      const date = (post.fields['X-Amz-Date'] ?? '').slice(0, 8);
      return {
        ...post,
        fields: {
          ...post.fields,
          Policy: policy,
          'X-Amz-Signature': signPolicy(policy, CREDENTIALS.secretAccessKey, date, REGION),
        },
      };
    };
    const expiration = new Date(Date.now() + 60_000).toISOString();

    const notJson = await submit(signedAs(Buffer.from('{"expiration": ').toString('base64')), {
      content: 'x',
    });
    const twoProperties = await submit(
      signedAs(encodePolicy({ expiration, conditions: [{ bucket: BUCKET, key: 'refused/policy.txt' }] })),
      { content: 'x' },
    );

    expect(await refused(notJson, 'refused/policy.txt')).toMatchObject({
      status: 400,
      Code: 'InvalidPolicyDocument',
      Message: 'Invalid Policy: Invalid JSON.',
    });
    expect(await refused(twoProperties, 'refused/policy.txt')).toMatchObject({
      status: 400,
      Code: 'InvalidPolicyDocument',
      Message:
        'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.',
    });
  });

  it('with a body that is not a well-formed form: 400 MalformedPOSTRequest; not a form at all: 412', async () => {
    const post = presign({ key: 'refused/malformed.txt' });
    const boundary = 'cut-short';
    const whole = multipartBody(boundary, formParts(post, { content: 'the file' }));
    const truncated = whole.subarray(0, whole.length - 30);

    const cut = await postRaw(post.url, `multipart/form-data; boundary=${boundary}`, [truncated]);
    const noBoundary = await postRaw(post.url, 'multipart/form-data', [whole]);
    const notAForm = await postRaw(post.url, 'application/json', [Buffer.from('{}')]);

    for (const answer of [cut, noBoundary]) {
      expect(answer.status).toBe(400);
      expect(errorOf(answer.body)).toMatchObject({
        Code: 'MalformedPOSTRequest',
        Message: 'The body of your POST request is not well-formed multipart/form-data.',
      });
    }
    expect(notAForm.status).toBe(412);
    expect(errorOf(notAForm.body)).toMatchObject({
      Code: 'PreconditionFailed',
      Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
    });
    expect(await exists('refused/malformed.txt')).toBe(false);
  });

  it('with more than 20 KB of fields before the file: 400 MaxPostPreDataLengthExceeded', async () => {
    const post = presign({ key: 'refused/long.txt' });

    const answer = await refused(
      await submit(post, { content: 'x' }, { extra: { 'x-ignore-padding': 'p'.repeat(21 * 1024) } }),
      'refused/long.txt',
    );

    expect(answer).toMatchObject({
      status: 400,
      Code: 'MaxPostPreDataLengthExceeded',
      MaxPostPreDataLengthBytes: '20480',
    });
  });

  it('to a bucket that does not exist: 404 NoSuchBucket', async () => {
    const post = presign({ bucket: 'post-uploads-missing', key: 'x.txt' });

    const response = await submit(post, { content: 'x' });

    expect(response.status).toBe(404);
    expect(errorOf(await response.text()).Code).toBe('NoSuchBucket');
  });
});

describe('a form from a browser on another origin', () => {
  it('gets its preflight for POST answered as for PUT, and the upload’s answer carries the CORS headers', async () => {
    const preflight = await fetch(`${harness.url}/${BUCKET}`, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    const refusedOrigin = await fetch(`${harness.url}/${BUCKET}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    const upload = await submit(
      presign({ key: 'cors/from-browser.txt' }),
      { content: 'x' },
      { headers: { origin: APP } },
    );

    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, GET');
    expect(refusedOrigin.status).toBe(403);
    expect(upload.status).toBe(204);
    expect(upload.headers.get('access-control-allow-origin')).toBe(APP);
  });
});

describe('a POST to an object’s URL', () => {
  it('is not a form upload: 405 MethodNotAllowed', async () => {
    const response = await fetch(`${harness.url}/${BUCKET}/some/key`, {
      method: 'POST',
      body: new FormData(),
    });

    expect(response.status).toBe(405);
    expect(errorOf(await response.text())).toMatchObject({
      Code: 'MethodNotAllowed',
      Method: 'POST',
      ResourceType: 'OBJECT',
    });
  });
});
