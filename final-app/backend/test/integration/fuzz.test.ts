// Property-based fuzzing of every endpoint on local-cloud with fast-check: malformed JSON, wrong types,
// huge strings, odd Unicode, missing and extra fields, bad path ids, bad tokens. Whatever arrives, the API
// never answers 5xx, every error is JSON with a message, and no rejected request changes any data (the
// tables and the bucket are compared before and after).
//
// The seed is fixed so a run is reproducible; FUZZ_SEED=<n> explores others (a failure prints its seed), and
// FUZZ_RUNS=<n> sends more: `npm test` sends the same 300 requests every time, enough for every kind of
// request several times over; a longer hunt is for when the API changes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { authorized, request, SERVICE_PATH, startApp, type App } from './support/app';

const RUNS = Number(process.env.FUZZ_RUNS ?? 75);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  throw new Error(`FUZZ_RUNS is "${process.env.FUZZ_RUNS}"; it must be a whole number of runs, such as 500`);
}
const BATCH = 4;
const MINIMUM_REQUESTS = RUNS * BATCH;
const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

jest.setTimeout(600_000);

interface FuzzRequest {
  /** What the request tries, for the failure report and the tallies. */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Writes must be refused: the generators only make invalid ones. */
  write: boolean;
}

let app: App;
let groupId: string;
let imageId: string;
const tokens: Record<string, string> = {};
const tallies = new Map<string, number>();
let sent = 0;

beforeAll(async () => {
  app = await startApp('app-fuzz');
  tokens.alice = app.tokenFor('alice');
  tokens.bob = app.tokenFor('bob');
  const group = await request(`${app.api}/groups`, {
    method: 'POST',
    ...authorized(tokens.alice, { name: 'Seed', description: 'what fuzzing must not change' }),
  });
  groupId = group.json.id as string;
  const image = await request(`${app.api}/groups/${groupId}/images`, {
    method: 'POST',
    ...authorized(tokens.alice, { title: 'Seed image', contentType: 'image/jpeg' }),
  });
  imageId = (image.json.image as { imageId: string }).imageId;
  // Tokens the issuer's own key signs but the API must refuse, made with the key local-cloud keeps.
  const identity = app.cloud.platform.services.identity;
  const key = readFileSync(path.join(SERVICE_PATH, '.local-cloud/identity/private-key.pem'), 'utf8');
  const signed = (claims: object, options: jwt.SignOptions = {}) =>
    jwt.sign({ sub: 'alice', ...claims }, key, { algorithm: 'RS256', keyid: identity.kid, ...options });
  const now = Math.floor(Date.now() / 1000);
  tokens.expired = signed({ iss: identity.issuer, aud: 'udagram', iat: now - 7200, exp: now - 3600 });
  tokens.notYet = signed({ iss: identity.issuer, aud: 'udagram', nbf: now + 3600, exp: now + 7200 });
  tokens.otherIssuer = signed({ iss: 'https://evil.example/', aud: 'udagram', exp: now + 3600 });
  tokens.otherAudience = identity.mintToken({ sub: 'alice', audience: 'another-app' });
  tokens.noSubject = jwt.sign({ iss: identity.issuer, aud: 'udagram', exp: now + 3600 }, key, {
    algorithm: 'RS256',
    keyid: identity.kid,
  });
  tokens.unsigned = `${tokens.alice.split('.').slice(0, 2).join('.')}.`;
  tokens.tampered = `${tokens.alice.slice(0, -4)}AAAA`;
}, 180_000);

afterAll(async () => {
  await app?.stop();
});

// ---- Building blocks -------------------------------------------------------------------------------------

const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\ud800b',
    '\udfff',
    '\u202eevil',
    '\ufeff',
    'ｆｕｌｌｗｉｄｔｈ',
    '👩‍👩‍👧‍👦',
    'Z̴̡̛a̸l̷g̵o̴',
    '../../etc/passwd',
    '%00',
    "' OR '1'='1",
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    'null',
    '{"$ne": null}',
  ),
);

const huge = fc
  .integer({ min: 1_001, max: 60_000 })
  .chain((length) => fc.constantFrom('x', 'é', '😀', ' ', '\u0000').map((unit) => unit.repeat(length)));

const anyText = fc.oneof({ weight: 4, arbitrary: oddText }, { weight: 1, arbitrary: huge });

/** Characters fetch accepts in a header value. */
const headerText = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }))
    .map((code) => String.fromCharCode(code)),
  maxLength: 300,
});

/** Authorization headers the authorizer must refuse (undefined: none at all). */
const badAuthorization = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  headerText,
  headerText.map((text) => `Bearer ${text}`),
  fc
    .constantFrom('expired', 'notYet', 'otherIssuer', 'otherAudience', 'noSubject', 'unsigned', 'tampered')
    .map((name) => `Bearer ${tokens[name]}`),
  fc.constantFrom('Basic YWxpY2U6cGFzc3dvcmQ=', 'Bearer', 'Bearer  ', 'bearer', 'Token abc'),
);

/** Path ids the API must not accept as an existing group or image (encoded, as a client would send them). */
const badId = fc
  .oneof(
    fc.uuid(),
    anyText.map((text) => text.slice(0, 2_000)),
    fc.constantFrom('.', '..', '0', '-1', 'undefined', 'urn:uuid:00000000-0000-0000-0000-000000000000'),
    fc.constant(null).map(() => `urn:uuid:${imageId}`),
    fc.constant(null).map(() => imageId.toUpperCase()),
    fc.constant(null).map(() => `${groupId} `),
  )
  .map((id) => encodeURIComponent(toWellFormed(id)));

const anyJson = fc.jsonValue({ maxDepth: 3 });

const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

const codePoints = (text: string) => [...text].length;
/** Lone UTF-16 surrogates (`\p{Cs}` with the u flag matches only unpaired ones). */
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormed = (text: string) => !LONE_SURROGATE.test(text);
/** What a client does with text it cannot encode in a URL: replace the lone surrogates. */
const toWellFormed = (text: string) => text.replace(/\p{Cs}/gu, '\ufffd');

/** Generous: anything the API might accept counts as valid, so only certainly invalid bodies are sent. */
function mayBeValidText(value: unknown, min: number, max: number): boolean {
  if (typeof value !== 'string' || !wellFormed(value)) return false;
  if (min > 0 && value.trim() === '' && !/\S/u.test(value)) return false;
  return Math.max(codePoints(value), min) <= max || value.length <= max;
}

function mayBeValidGroup(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const fields = body as Record<string, unknown>;
  if (Object.keys(fields).some((key) => key !== 'name' && key !== 'description')) return false;
  return (
    mayBeValidText(fields.name, 1, 100) &&
    (fields.description === undefined || mayBeValidText(fields.description, 0, 1000))
  );
}

function mayBeValidImage(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const fields = body as Record<string, unknown>;
  if (Object.keys(fields).some((key) => key !== 'title' && key !== 'contentType')) return false;
  return (
    mayBeValidText(fields.title, 1, 200) &&
    ['image/jpeg', 'image/png', 'image/webp'].includes(fields.contentType as string)
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Bodies that are not JSON at all. */
const brokenJson = fc.oneof(
  fc.string({ maxLength: 200 }).filter((text) => !isJson(text)),
  fc.constantFrom(
    '{',
    '{"name": }',
    "{'name': 'x'}",
    '{"name": "x",}',
    'NaN',
    '[1,2',
    '\u0000',
    '{"a":1}{"b":2}',
  ),
  anyJson.map((value) => `${JSON.stringify(value)}garbage`),
);

function invalidBodies(fields: { text: string; max: number; other: string; otherValue: string }) {
  const valid = fc.record({
    [fields.text]: fc.constant('Fine'),
    [fields.other]: fc.constant(fields.otherValue),
  });
  return fc.oneof(
    brokenJson,
    anyJson.map((value) => JSON.stringify(value)),
    wrongType.map((value) => JSON.stringify({ [fields.text]: value, [fields.other]: fields.otherValue })),
    huge.map((value) => JSON.stringify({ [fields.text]: value, [fields.other]: fields.otherValue })),
    oddText.map((value) => JSON.stringify({ [fields.text]: value })),
    fc
      .tuple(valid, fc.string({ minLength: 1, maxLength: 20 }), anyJson)
      .map(([body, key, value]) => JSON.stringify({ ...body, [key]: value })),
    fc.constantFrom(
      `{"${fields.text}": "   "}`,
      `{"${fields.text}": "a\\ud800"}`,
      '{}',
      'null',
      '[]',
      '""',
      '0',
    ),
    fc.constant(
      `{"${fields.text}": "${'x'.repeat(fields.max + 1)}", "${fields.other}": "${fields.otherValue}"}`,
    ),
  );
}

const invalidGroupBody = invalidBodies({
  text: 'name',
  max: 100,
  other: 'description',
  otherValue: 'd',
}).filter((text) => !isJson(text) || !mayBeValidGroup(JSON.parse(text)));

const invalidImageBody = invalidBodies({
  text: 'title',
  max: 200,
  other: 'contentType',
  otherValue: 'image/png',
})
  .map((text) => text)
  .filter((text) => !isJson(text) || !mayBeValidImage(JSON.parse(text)));

const jsonTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8');
const notJsonTypes = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/jsonp',
);

const query = fc
  .record(
    {
      limit: fc.oneof(
        anyText,
        fc.integer({ min: -1_000, max: 1_000 }).map(String),
        fc.constantFrom('1e2', '0x10', '  5', '5 ', ''),
      ),
      nextKey: fc.oneof(
        anyText,
        fc.base64String({ maxLength: 200 }),
        fc.constantFrom('e30.AAAA', 'e30', '.', 'a.b.c'),
      ),
      q: anyText,
      extra: anyText,
    },
    { requiredKeys: [] },
  )
  .map((params) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) search.set(name, toWellFormed(value));
    const text = search.toString();
    return text === '' ? '' : `?${text.slice(0, 6_000)}`;
  });

const withAuth = (authorization: string | undefined, headers: Record<string, string> = {}) =>
  authorization === undefined ? headers : { ...headers, Authorization: authorization };

// ---- Requests, one family per endpoint ---------------------------------------------------------------------

const requests: fc.Arbitrary<FuzzRequest> = fc.oneof(
  // GET /groups
  query.map((q) => ({ kind: 'GET /groups', method: 'GET', path: `/groups${q}`, headers: {}, write: false })),
  // POST /groups: a bad token with any body, or a valid token with an invalid body or content type
  fc
    .tuple(badAuthorization, fc.oneof(invalidGroupBody, fc.constant('{"name":"Cats"}')))
    .map(([authorization, body]) => ({
      kind: 'POST /groups (bad token)',
      method: 'POST',
      path: '/groups',
      headers: withAuth(authorization, { 'Content-Type': 'application/json' }),
      body,
      write: true,
    })),
  fc.tuple(invalidGroupBody, jsonTypes).map(([body, type]) => ({
    kind: 'POST /groups (invalid body)',
    method: 'POST',
    path: '/groups',
    headers: { Authorization: `Bearer ${tokens.alice}`, 'Content-Type': type },
    body,
    write: true,
  })),
  notJsonTypes.map((type) => ({
    kind: 'POST /groups (not JSON)',
    method: 'POST',
    path: '/groups',
    headers: { Authorization: `Bearer ${tokens.alice}`, 'Content-Type': type },
    body: '{"name":"Cats"}',
    write: true,
  })),
  // GET /groups/{groupId}
  badId.map((id) => ({
    kind: 'GET /groups/{id}',
    method: 'GET',
    path: `/groups/${id}`,
    headers: {},
    write: false,
  })),
  // GET /groups/{groupId}/images
  fc
    .tuple(
      fc.oneof(
        badId,
        fc.constant(null).map(() => groupId),
      ),
      query,
    )
    .map(([id, q]) => ({
      kind: 'GET /groups/{id}/images',
      method: 'GET',
      path: `/groups/${id}/images${q}`,
      headers: {},
      write: false,
    })),
  // POST /groups/{groupId}/images: bad token, invalid body, or a valid body for a group that is not there
  fc.tuple(badAuthorization, invalidImageBody).map(([authorization, body]) => ({
    kind: 'POST /groups/{id}/images (bad token)',
    method: 'POST',
    path: `/groups/${groupId}/images`,
    headers: withAuth(authorization, { 'Content-Type': 'application/json' }),
    body,
    write: true,
  })),
  fc.tuple(invalidImageBody, jsonTypes).map(([body, type]) => ({
    kind: 'POST /groups/{id}/images (invalid body)',
    method: 'POST',
    path: `/groups/${groupId}/images`,
    headers: { Authorization: `Bearer ${tokens.alice}`, 'Content-Type': type },
    body,
    write: true,
  })),
  badId.map((id) => ({
    kind: 'POST /groups/{id}/images (bad group)',
    method: 'POST',
    path: `/groups/${id}/images`,
    headers: { Authorization: `Bearer ${tokens.alice}`, 'Content-Type': 'application/json' },
    body: '{"title":"Cat","contentType":"image/png"}',
    write: true,
  })),
  // GET /images/{imageId}
  badId.map((id) => ({
    kind: 'GET /images/{id}',
    method: 'GET',
    path: `/images/${id}`,
    headers: {},
    write: false,
  })),
  // DELETE /images/{imageId}: a bad token, someone else's image, or an id that is not one
  fc
    .tuple(
      badAuthorization,
      fc.oneof(
        badId,
        fc.constant(null).map(() => imageId),
      ),
    )
    .map(([authorization, id]) => ({
      kind: 'DELETE /images/{id} (bad token)',
      method: 'DELETE',
      path: `/images/${id}`,
      headers: withAuth(authorization),
      write: true,
    })),
  fc.constant(null).map(() => ({
    kind: "DELETE /images/{id} (someone else's)",
    method: 'DELETE',
    path: `/images/${imageId}`,
    headers: { Authorization: `Bearer ${tokens.bob}` },
    write: true,
  })),
  badId.map((id) => ({
    kind: 'DELETE /images/{id} (bad id)',
    method: 'DELETE',
    path: `/images/${id}`,
    headers: { Authorization: `Bearer ${tokens.alice}` },
    write: true,
  })),
  // GET /images/search
  query.map((q) => ({
    kind: 'GET /images/search',
    method: 'GET',
    path: `/images/search${q}`,
    headers: {},
    write: false,
  })),
  // GET /config, and methods no route has
  query.map((q) => ({ kind: 'GET /config', method: 'GET', path: `/config${q}`, headers: {}, write: false })),
  fc
    .tuple(fc.constantFrom('PUT', 'PATCH', 'DELETE'), fc.constantFrom('/groups', '/config', '/images/search'))
    .map(([method, route]) => ({
      kind: 'unrouted method',
      method,
      path: route,
      headers: { Authorization: `Bearer ${tokens.alice}`, 'Content-Type': 'application/json' },
      body: method === 'DELETE' ? undefined : '{"name":"x"}',
      write: true,
    })),
);

async function send(fuzz: FuzzRequest) {
  sent += 1;
  tallies.set(fuzz.kind, (tallies.get(fuzz.kind) ?? 0) + 1);
  const answer = await request(`${app.api}${fuzz.path}`, {
    method: fuzz.method,
    headers: fuzz.headers,
    body: fuzz.body,
    signal: AbortSignal.timeout(30_000),
  });
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (fuzz.write && answer.status < 400)
    problems.push(`a write that should be refused answered ${answer.status}`);
  if (answer.status >= 400) {
    const message = answer.json.message;
    if (typeof message !== 'string' || message === '')
      problems.push(`error without a JSON message: ${answer.text.slice(0, 200)}`);
    if (!answer.headers.get('content-type')?.includes('application/json'))
      problems.push('error not declared as JSON');
  }
  if (answer.headers.get('access-control-allow-origin') !== '*') problems.push('no CORS header');
  if (problems.length > 0) {
    throw new Error(
      `${fuzz.method} ${fuzz.path.slice(0, 300)} (${fuzz.kind}) ${JSON.stringify(fuzz.headers).slice(0, 300)} body ${JSON.stringify(fuzz.body?.slice(0, 300))}: ${problems.join('; ')}`,
    );
  }
}

describe('fuzzing every endpoint', () => {
  it(`never answers 5xx, always explains errors in JSON, and lets no rejected request change data (>= ${MINIMUM_REQUESTS} requests)`, async () => {
    const before = await app.snapshot();

    await fc.assert(
      fc.asyncProperty(fc.array(requests, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await Promise.all(batch.map(send));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const after = await app.snapshot();

    // Each of the 16 kinds of request the generators above make was sent, not just the easy ones.
    expect(tallies.size).toBe(16);
    expect(sent).toBeGreaterThanOrEqual(MINIMUM_REQUESTS);
    expect(before.groups).toHaveLength(1);
    expect(before.images).toHaveLength(1);
    expect(after).toEqual(before);
  });
});
