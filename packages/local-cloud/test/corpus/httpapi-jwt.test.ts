// An HTTP API service (`httpApi` events, payload 2.0) with a JWT authorizer on its identity provider (here
// local-cloud's issuer, given as AUTH_ISSUER as a team gives its Auth0 or Cognito URL), started unchanged: a
// public route answers without a token; bookmarks need a token (401 without one, or with a token that was
// tampered with or is for another API) and writing needs the bookmarks:write scope (403 without it); each user
// sees their own; the handler reads the claims, the route key and the query from the 2.0 event and builds its
// Location from Ref: HttpApi; the API's CORS configuration answers the web app's preflight.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIdentityService, type IdentityService } from '../../src/services/identity/identity-service';
import { answer, request, useProject } from './support';

const STAGE = 'corpus-jwt';
const AUDIENCE = 'bookmarks-api';
const WEB_APP = 'https://bookmarks.example.com';

interface Bookmark {
  userId: string;
  bookmarkId: string;
  url: string;
  tags: string[];
}

let issuerData: string;
let issuer: IdentityService;

beforeAll(async () => {
  issuerData = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-corpus-issuer-'));
  issuer = await createIdentityService({ dataDir: issuerData, port: 0, audience: AUDIENCE, log: () => {} });
  process.env.AUTH_ISSUER = issuer.issuer;
}, 30_000);

afterAll(async () => {
  await issuer?.stop();
  rmSync(issuerData, { recursive: true, force: true });
});

// Started after the issuer, whose URL serverless.yml reads from AUTH_ISSUER.
const project = useProject('httpapi-jwt', { stage: STAGE });
const api = () => project().cloud.httpApiUrl!;

const tokenFor = (sub: string, scope: string, audience?: string) =>
  issuer.mintToken({ sub, claims: { scope }, ...(audience && { audience }) });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const READER = 'bookmarks:read';
const WRITER = 'bookmarks:read bookmarks:write';

describe('an HTTP API with a JWT authorizer', () => {
  it('starts with no warning, and answers its public route with the inferred 2.0 response', async () => {
    expect(project().warnings()).toEqual([]);

    const health = await request(`${api()}/health`);

    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toBe('application/json');
    expect(health.body).toEqual({ ok: true, route: 'GET /health', stage: '$default' });
  });

  it('refuses a request without a token, or with a token tampered with or for another API, with 401', async () => {
    const genuine = tokenFor('alice', READER);
    const [header, , signature] = genuine.split('.');
    const claims = Buffer.from(
      JSON.stringify({ sub: 'mallory', aud: AUDIENCE, iss: issuer.issuer }),
    ).toString('base64url');

    for (const headers of [
      {},
      bearer(`${header}.${claims}.${signature}`),
      bearer(tokenFor('alice', READER, 'another-api')),
    ]) {
      const refused = await request(`${api()}/bookmarks`, { headers });
      expect(refused).toMatchObject(answer(401, 'Unauthorized'));
    }
  });

  it('lets a reader list but not write: 403 without the bookmarks:write scope', async () => {
    const reader = bearer(tokenFor('alice', READER));

    const listed = await request(`${api()}/bookmarks`, { headers: reader });
    const written = await request(`${api()}/bookmarks`, {
      headers: reader,
      body: { url: 'https://example.com' },
    });

    expect(listed).toMatchObject({ status: 200, body: { user: 'alice', bookmarks: [] } });
    expect(written).toMatchObject(answer(403, 'Forbidden'));
  });

  it('saves, lists by tag, and removes a writer’s bookmarks, which no other user sees', async () => {
    const alice = bearer(tokenFor('alice', WRITER));
    const bob = bearer(tokenFor('bob', WRITER));

    const saved = await request<Bookmark>(`${api()}/bookmarks`, {
      headers: alice,
      body: { url: 'https://docs.aws.amazon.com/apigateway/', tags: ['aws', 'docs'] },
    });
    await request(`${api()}/bookmarks`, {
      headers: alice,
      body: { url: 'https://nodejs.org/', tags: ['node'] },
    });

    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ userId: 'alice', url: 'https://docs.aws.amazon.com/apigateway/' });
    const apiId = project().cloud.service.functions.addBookmark!.environment.HTTP_API_ID;
    expect(saved.headers.get('location')).toBe(
      `https://${apiId}.execute-api.eu-central-1.amazonaws.com/bookmarks/${saved.body.bookmarkId}`,
    );
    const tagged = await request<{ bookmarks: Bookmark[] }>(`${api()}/bookmarks?tag=aws`, { headers: alice });
    expect(tagged.body.bookmarks.map((bookmark) => bookmark.url)).toEqual([
      'https://docs.aws.amazon.com/apigateway/',
    ]);
    expect(await request(`${api()}/bookmarks`, { headers: bob })).toMatchObject({
      body: { user: 'bob', bookmarks: [] },
    });

    const removedByBob = await request(`${api()}/bookmarks/${saved.body.bookmarkId}`, {
      method: 'DELETE',
      headers: bob,
    });
    const removed = await request(`${api()}/bookmarks/${saved.body.bookmarkId}`, {
      method: 'DELETE',
      headers: alice,
    });
    expect(removedByBob.status).toBe(404);
    expect(removed.status).toBe(204);
    const left = await request<{ bookmarks: Bookmark[] }>(`${api()}/bookmarks`, { headers: alice });
    expect(left.body.bookmarks.map((bookmark) => bookmark.url)).toEqual(['https://nodejs.org/']);
  });

  it('refuses a bookmark that is not an http(s) URL', async () => {
    const refused = await request(`${api()}/bookmarks`, {
      headers: bearer(tokenFor('alice', WRITER)),
      body: { url: 'javascript:alert(1)' },
    });

    expect(refused).toMatchObject({ status: 400 });
  });

  it('answers the web app’s preflight itself and adds the CORS headers to its responses, for its origin only', async () => {
    const preflight = await fetch(`${api()}/bookmarks`, {
      method: 'OPTIONS',
      headers: {
        origin: WEB_APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    const fromApp = await fetch(`${api()}/health`, { headers: { origin: WEB_APP } });
    const fromElsewhere = await fetch(`${api()}/health`, { headers: { origin: 'https://evil.example' } });

    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(WEB_APP);
    expect(
      preflight.headers
        .get('access-control-allow-methods')
        ?.split(',')
        .map((method) => method.trim()),
    ).toEqual(expect.arrayContaining(['GET', 'POST', 'DELETE']));
    expect(preflight.headers.get('access-control-max-age')).toBe('300');
    expect(fromApp.headers.get('access-control-allow-origin')).toBe(WEB_APP);
    expect(fromApp.headers.get('access-control-expose-headers')?.toLowerCase()).toBe('location');
    expect(fromElsewhere.status).toBe(200);
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});
