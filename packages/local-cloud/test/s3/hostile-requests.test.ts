// S3 under requests no SDK sends, and under its own failures: every answer is S3's XML error with a short
// message (nothing for HEAD), and local-cloud's stack and the machine's paths go to its log only.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ObjectStore } from '../../src/services/s3/object-store';
import { diskError, expectNothingInternal, loggedWithStack } from '../support/leaks';
import { sendRaw, sendSigned, type RawRequest } from '../support/raw-http';
import { CREDENTIALS, REGION, startS3, type S3Harness } from './s3-harness';

const BUCKET = 'hostile-requests-bucket';
const logged: string[] = [];
let harness: S3Harness;

beforeAll(async () => {
  harness = await startS3({ log: (line) => logged.push(line) });
  await harness.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await harness.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'note.txt', Body: 'kept' }));
});

afterAll(() => harness.stop());

const signed = (request: RawRequest) =>
  sendSigned(
    harness.url,
    { ...request, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...request.headers } },
    { service: 's3', region: REGION, credentials: CREDENTIALS, escapePath: false },
  );

const codeOf = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
const messageOf = (xml: string) =>
  (/<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? '').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe('S3, sent what no SDK sends', () => {
  it.each(['/%', '/%E0%A4%A', `/${BUCKET}/%E0%A4%A`, `/${BUCKET}/note%ZZ.txt`])(
    'refuses the malformed escape in %s with 400 InvalidURI, signed or not',
    async (path) => {
      const answers = [await sendRaw(harness.url, { path }), await signed({ path })];

      for (const answer of answers) {
        expect(answer.status).toBe(400);
        expect(codeOf(answer.body)).toBe('InvalidURI');
        expect(messageOf(answer.body)).toMatch(/malformed percent-escape.*AWS SDK/);
        expectNothingInternal(answer.body);
      }
    },
  );

  it.each(['/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', `/${BUCKET}/../../etc/passwd`])(
    'answers %s with an S3 error that shows nothing of the machine',
    async (path) => {
      const answer = await signed({ path });

      expect(answer.status).toBe(404);
      expect(codeOf(answer.body)).toMatch(/^NoSuch(Bucket|Key)$/);
      expectNothingInternal(answer.body);
    },
  );

  it('refuses a CORS configuration that is not XML with 400 MalformedXML', async () => {
    const answer = await signed({
      method: 'PUT',
      path: `/${BUCKET}?cors`,
      headers: { 'content-type': 'application/json' },
      body: '{"CORSRules": "<not xml"}',
    });

    expect(answer.status).toBe(400);
    expect(codeOf(answer.body)).toBe('MalformedXML');
    expectNothingInternal(answer.body);
  });
});

describe('S3, failing itself', () => {
  it('answers 500 InternalError in S3’s words when its disk fails, and logs the reason with its stack', async () => {
    jest.spyOn(ObjectStore.prototype, 'putObject').mockRejectedValueOnce(diskError());

    const answer = await signed({ method: 'PUT', path: `/${BUCKET}/broken.txt`, body: 'lost' });

    expect(answer.status).toBe(500);
    expect(codeOf(answer.body)).toBe('InternalError');
    expect(messageOf(answer.body)).toBe('We encountered an internal error. Please try again.');
    expectNothingInternal(answer.body);
    expect(loggedWithStack(logged)).toBe(true);
  });

  it('answers a HEAD it fails on with a bare 500', async () => {
    jest.spyOn(ObjectStore.prototype, 'openObject').mockRejectedValueOnce(diskError());

    const answer = await signed({ method: 'HEAD', path: `/${BUCKET}/note.txt` });

    expect(answer.status).toBe(500);
    expect(answer.body).toBe('');
  });
});
