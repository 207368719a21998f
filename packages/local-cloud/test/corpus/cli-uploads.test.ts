// A file drop driven by the AWS CLI (v2, Debian's /usr/bin/aws) at local-cloud's AWS endpoint, started
// unchanged: the service's presigned PUT and GET URLs upload and download a file with fetch, as a browser
// does; a 16 MB `aws s3 cp` goes up as a multipart upload, and `aws s3 ls`, `aws s3api head-object` and
// `aws s3 presign` see it whole. Its upload URL opened with a GET, a request without a content type, a
// missing file and a missing bucket are refused, the bucket by name.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { answer, request, useProject } from './support';

const run = promisify(execFile);
const AWS_CLI = '/usr/bin/aws';
const STAGE = 'corpus-cli';
const BUCKET = `cli-uploads-${STAGE}-files`;
const SIXTEEN_MB = 16 * 1024 * 1024;
const MINUTES = 'Decisions: ship it.';

const project = useProject('cli-uploads', { stage: STAGE });
let home: string;

beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-corpus-cli-'));
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

/** Runs the AWS CLI as a user would against local-cloud: its endpoint, its key pair, a HOME of its own. */
async function aws(...args: string[]): Promise<string> {
  const { stdout } = await run(AWS_CLI, [...args, '--endpoint-url', project().cloud.lambdaEndpoint], {
    env: {
      PATH: process.env.PATH,
      HOME: home,
      AWS_ACCESS_KEY_ID: project().cloud.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: project().cloud.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: project().cloud.region,
      AWS_PAGER: '',
    },
    maxBuffer: 4 * 1024 * 1024,
  });
  return stdout;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('a bucket the AWS CLI drives', () => {
  it('starts with no warning', () => {
    expect(project().warnings()).toEqual([]);
  });

  it('uploads through the service’s presigned PUT, and downloads as an attachment through its GET', async () => {
    const created = await request<{ key: string; url: string; headers: Record<string, string> }>(
      `${project().cloud.apiUrl}/uploads`,
      { body: { name: 'minutes 2026-03.txt', contentType: 'text/plain' } },
    );
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^incoming\/\d{4}-\d\d-\d\d\/minutes 2026-03\.txt$/);

    const put = await fetch(created.body.url, {
      method: 'PUT',
      headers: created.body.headers,
      body: MINUTES,
    });
    expect(put.status).toBe(200);

    const download = await request<{ url: string }>(
      `${project().cloud.apiUrl}/files/${created.body.key.split('/').map(encodeURIComponent).join('/')}`,
    );
    expect(download.status).toBe(200);
    const file = await fetch(download.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="minutes 2026-03.txt"');
    expect(file.headers.get('content-type')).toBe('text/plain');
    expect(await file.text()).toBe(MINUTES);
  });

  it('takes a 16 MB file from the CLI in parts, and lists, describes and presigns it beside the browser’s', async () => {
    const original = randomBytes(SIXTEEN_MB);
    const file = path.join(home, 'backup.tar');
    writeFileSync(file, original);

    await aws('s3', 'cp', file, `s3://${BUCKET}/backups/backup.tar`, '--only-show-errors');
    const [listing, head, presigned] = await Promise.all([
      aws('s3', 'ls', `s3://${BUCKET}/`, '--recursive'),
      aws('s3api', 'head-object', '--bucket', BUCKET, '--key', 'backups/backup.tar', '--output', 'json'),
      aws('s3', 'presign', `s3://${BUCKET}/backups/backup.tar`, '--expires-in', '300'),
    ]);

    const line = (size: number, key: string) =>
      new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +${size} ${key}$`);
    const lines = listing.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(line(SIXTEEN_MB, 'backups/backup\\.tar'));
    expect(lines[1]).toMatch(line(MINUTES.length, 'incoming/\\S+/minutes 2026-03\\.txt'));
    // The CLI sends 8 MB parts: the ETag of a multipart upload of two.
    expect(JSON.parse(head)).toMatchObject({
      ContentLength: SIXTEEN_MB,
      ETag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/) as unknown,
    });
    const viaUrl = await fetch(presigned.trim());
    expect(viaUrl.status).toBe(200);
    expect(sha256(Buffer.from(await viaUrl.arrayBuffer()))).toBe(sha256(original));
  }, 30_000);

  it('refuses its upload URL opened for reading: the method is signed', async () => {
    const created = await request<{ url: string }>(`${project().cloud.apiUrl}/uploads`, {
      body: { name: 'photo.png', contentType: 'image/png' },
    });

    const opened = await fetch(created.body.url);

    expect(opened.status).toBe(403);
    expect(await opened.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a request without a content type, and a download of a file that is not there', async () => {
    const noType = await request(`${project().cloud.apiUrl}/uploads`, { body: { name: 'a.bin' } });
    const missing = await request(`${project().cloud.apiUrl}/files/incoming/nothing.txt`);

    expect(noType).toMatchObject(answer(400, 'Give the contentType of the file, such as text/plain.'));
    expect(missing).toMatchObject(answer(404, 'There is no file incoming/nothing.txt.'));
  });

  it('tells the CLI a bucket does not exist, by name', async () => {
    const failure = await aws('s3', 'ls', `s3://cli-uploads-${STAGE}-missing`).then(
      () => 'listed',
      (error: { stderr?: string }) => error.stderr ?? '',
    );

    expect(failure).toContain(
      'An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist',
    );
  });
});
