// SNS under requests no SDK sends, and under its own failure: every answer is a Query-protocol XML
// ErrorResponse with a short message, and local-cloud's stack and the machine's paths go to its log only.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createSnsService, type SnsService } from '../../src/services/sns/sns-service';
import { expectInternalErrorMessage, expectNothingInternal } from '../support/leaks';
import { sendRaw, sendSigned, type RawRequest } from '../support/raw-http';
import { CREDENTIALS, FakeAsyncInvoker, REGION, serviceWith, temporaryDirectory } from './messaging-harness';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const directory = temporaryDirectory('sns-hostile-requests-');
const dataDir = path.join(directory.path, 'sns');
const logged: string[] = [];
let sns: SnsService;

beforeAll(async () => {
  sns = await createSnsService({
    service: serviceWith({ service: 'sns-hostile-requests', servicePath: directory.path }),
    credentials: CREDENTIALS,
    region: REGION,
    asyncInvoker: new FakeAsyncInvoker(),
    dataDir,
    log: (line) => logged.push(line),
  });
});

afterAll(async () => {
  await sns.stop();
  directory.remove();
});

const signed = (request: RawRequest) =>
  sendSigned(
    sns.url,
    { method: 'POST', ...request },
    { service: 'sns', region: REGION, credentials: CREDENTIALS },
  );

const codeOf = (xml: string) => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
const messageOf = (xml: string) =>
  (/<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? '').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe('SNS, sent what no SDK sends', () => {
  it.each(['/%', '/%E0%A4%A', '/../../etc/passwd', '/..%2f..%2fetc%2fpasswd'])(
    'answers %s unsigned with 403 MissingAuthenticationToken',
    async (target) => {
      const answer = await sendRaw(sns.url, {
        method: 'POST',
        path: target,
        headers: FORM,
        body: 'Action=ListTopics',
      });

      expect(answer.status).toBe(403);
      expect(codeOf(answer.body)).toBe('MissingAuthenticationToken');
      expectNothingInternal(answer.body);
    },
  );

  it('refuses a JSON body with 400 MissingAction: SNS reads only forms', async () => {
    const answer = await signed({
      path: '/',
      headers: { 'content-type': 'application/json' },
      body: '{"Action": "Publish"',
    });

    expect(answer.status).toBe(400);
    expect(codeOf(answer.body)).toBe('MissingAction');
  });

  it('answers a Publish with malformed escapes with 404 NotFound, naming nothing of the machine', async () => {
    const answer = await signed({
      path: '/',
      headers: FORM,
      body: 'Action=Publish&TopicArn=%E0%A4%A&Message=%',
    });

    expect(answer.status).toBe(404);
    expect(codeOf(answer.body)).toBe('NotFound');
    expectNothingInternal(answer.body);
  });
});

describe('SNS, failing itself', () => {
  it('answers 500 InternalError when it cannot save a topic, and logs the reason with its path', async () => {
    // Where the state is written aside before its rename: as a folder, the write fails with EISDIR.
    mkdirSync(path.join(dataDir, 'state.json.tmp'), { recursive: true });

    const answer = await signed({
      path: '/',
      headers: FORM,
      body: 'Action=CreateTopic&Name=hostile-unsaved',
    });

    expect(answer.status).toBe(500);
    expect(codeOf(answer.body)).toBe('InternalError');
    expectInternalErrorMessage(messageOf(answer.body));
    expectNothingInternal(answer.body);
    expect(logged).toContainEqual(expect.stringContaining(path.join(dataDir, 'state.json.tmp')));
  });
});
