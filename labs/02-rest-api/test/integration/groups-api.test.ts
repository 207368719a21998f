// This lab's real serverless.yml on local-cloud: API Gateway, the two functions in Lambda sandboxes and the
// Groups table in DynamoDB Local, called over HTTP with fetch as the web page calls them.
import path from 'node:path';
import { start, type LocalCloud } from '@serverless-course/local-cloud';

const SERVICE_PATH = path.join(__dirname, '..', '..');
const WEB_ORIGIN = 'http://localhost:5173';

interface Group {
  id: string;
  name: string;
  description: string;
  timestamp: string;
}

interface GroupsPage {
  items: Group[];
  nextKey: string | null;
}

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await start({ servicePath: SERVICE_PATH, inMemory: true, stage: 'lab02-int' });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

async function postGroup(body: unknown): Promise<Response> {
  return fetch(`${cloud.apiUrl}/groups`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: WEB_ORIGIN },
    body: JSON.stringify(body),
  });
}

async function getGroups(query = ''): Promise<Response> {
  return fetch(`${cloud.apiUrl}/groups${query}`, { headers: { Origin: WEB_ORIGIN } });
}

describe('the groups API on local-cloud', () => {
  const created: Group[] = [];

  beforeAll(async () => {
    for (const name of ['Dogs', 'Cats', 'Birds', 'Fish', 'Horses']) {
      const response = await postGroup({ name, description: `Pictures of ${name.toLowerCase()}` });
      created.push((await response.json()) as Group);
    }
  }, 60_000);

  it('creates a group with POST /groups: 201, a server-chosen id and timestamp, and CORS headers', async () => {
    const response = await postGroup({ name: 'Lizards', description: 'Pictures of lizards' });

    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const group = (await response.json()) as Group;
    expect(group).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      name: 'Lizards',
      description: 'Pictures of lizards',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
    });
    created.push(group);
  });

  it('lists every group created, page by page, each exactly once', async () => {
    const seen: Group[] = [];
    let query = '?limit=2';
    for (let pages = 0; pages < 10; pages += 1) {
      const response = await getGroups(query);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const page = (await response.json()) as GroupsPage;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      if (page.nextKey === null) break;
      query = `?limit=2&nextKey=${page.nextKey}`;
    }

    const byId = (a: Group, b: Group) => a.id.localeCompare(b.id);
    expect(seen.sort(byId)).toEqual([...created].sort(byId));
  });

  it('answers 400 with a JSON message for a nextKey it did not make', async () => {
    const response = await getGroups('?nextKey=bm90LWEta2V5');

    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ message: expect.stringContaining('nextKey') as unknown });
  });

  it('answers 400 with a JSON message for a limit out of range', async () => {
    const response = await getGroups('?limit=0');

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.stringContaining('limit') as unknown });
  });

  it('answers 400 naming the field when a group has no name', async () => {
    const response = await postGroup({ description: 'No name' });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: expect.stringContaining('name') as unknown });
  });

  it("adds CORS headers to API Gateway's own errors, such as 403 for an unknown path", async () => {
    const response = await fetch(`${cloud.apiUrl}/no-such-path`, { headers: { Origin: WEB_ORIGIN } });

    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it("answers the browser's preflight from API Gateway itself, allowing POST with a JSON content type", async () => {
    const response = await fetch(`${cloud.apiUrl}/groups`, {
      method: 'OPTIONS',
      headers: {
        Origin: WEB_ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  });
});
