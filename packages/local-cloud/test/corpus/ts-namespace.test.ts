// A TypeScript service with the imports TypeScript projects mix, started unchanged and bundled by local-cloud:
// namespace imports of CommonJS modules used as namespaces (node:crypto, node:path, jsonwebtoken) and default
// imports of packages whose export is a function (middy, an ES module; http-errors, CommonJS). Share links are
// created and opened end to end, with the signing key from Secrets Manager; a link that was tampered with, an
// expired one and a bad request are refused with http-errors' statuses. The same service with
// `import * as createError from 'http-errors'` is refused at start, with the file, the line and the fix.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Share } from './projects/ts-namespace/src/lib/shares';
import { answer, request, startProject, useProject } from './support';

const STAGE = 'corpus-ts';

/** What creating a link answers: the stored share and the link's URL. */
type Created = Share & { url: string };

const project = useProject('ts-namespace', { stage: STAGE });
const shares = () => `${project().cloud.apiUrl}/shares`;

/** The local URL of a link the service built from API Gateway's domain name (`https://<host>/<stage>/...`). */
const local = (url: string) =>
  url.replace(/^https:\/\/[^/]+/, project().cloud.apiUrl.replace(`/${STAGE}`, ''));

describe('a TypeScript service with namespace and default imports', () => {
  it('starts with no warning, the bundler included', () => {
    expect(project().warnings()).toEqual([]);
  });

  it('creates a share link, stores it, and opens it, counting the opens', async () => {
    const created = await request<Created>(shares(), { body: { file: 'reports/2026/q3 summary.PDF' } });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      file: 'reports/2026/q3 summary.PDF',
      name: 'q3 summary.PDF',
      contentType: 'application/pdf',
      opens: 0,
    });
    expect(created.body.shareId).toMatch(/^[\w-]{16}$/);
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient(project().aws));
    const { Item } = await documents.send(
      new GetCommand({ TableName: `ts-namespace-${STAGE}-shares`, Key: { shareId: created.body.shareId } }),
    );
    const { url: _url, ...stored } = created.body;
    expect(Item).toEqual(stored);

    const first = await request<Share>(local(created.body.url));
    const second = await request<Share>(local(created.body.url));
    expect(first).toMatchObject({ status: 200, body: { shareId: created.body.shareId, opens: 1 } });
    expect(second.body.opens).toBe(2);
  });

  it('refuses a link that was tampered with (401) and one that has expired (410)', async () => {
    const created = await request<Created>(shares(), {
      body: { file: 'photos/cat.png', expiresInSeconds: 1 },
    });
    const [header, , signature] = new URL(created.body.url).pathname.split('/').pop()!.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ file: 'secrets/all.csv', sub: created.body.shareId }),
    ).toString('base64url');
    const tampered = `${shares()}/${header}.${forgedPayload}.${signature}`;

    expect(await request(tampered)).toMatchObject(answer(401, 'This link is not valid.'));
    // The link lived one second (JWT times are whole seconds).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await request(local(created.body.url))).toMatchObject(answer(410, 'This link has expired.'));
  });

  it('refuses a file it cannot share, a body that is not JSON, and a path outside the library', async () => {
    const notShareable = await request(shares(), { body: { file: 'notes/todo.txt' } });
    const notJson = await request(shares(), {
      body: 'file=a.pdf',
      headers: { 'content-type': 'text/plain' },
    });
    const outside = await request(shares(), { body: { file: '../../etc/passwd.csv' } });

    expect(notShareable).toMatchObject(answer(400, 'Only .pdf, .png, .jpg, .csv files can be shared.'));
    expect(notJson).toMatchObject(answer(415, 'Unsupported Media Type'));
    expect(outside).toMatchObject(
      answer(400, 'The file must be a path inside the library, not ../../etc/passwd.csv.'),
    );
  });
});

describe('the same service with a namespace import of a function', () => {
  it('is refused at start, naming the file, the line and the fix', async () => {
    const source = readFileSync(path.join(__dirname, 'projects/ts-namespace/src/lib/shares.ts'), 'utf8');
    const naive = source.replace(
      "import createError from 'http-errors';",
      "import * as createError from 'http-errors';",
    );
    expect(naive).not.toBe(source);

    const starting = startProject('ts-namespace', {
      stage: `${STAGE}-naive`,
      files: { 'src/lib/shares.ts': naive },
    });

    await expect(starting).rejects.toThrow(
      /^Function "createShare": src\/handlers\/create-share\.ts does not compile: src\/lib\/shares\.ts:\d+:\d+: Calling "createError" will crash at run-time because it's an import namespace object, not a function.*Fix: import the module's default export instead/,
    );
  }, 30_000);
});
