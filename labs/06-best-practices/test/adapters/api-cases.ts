// One table of HTTP cases, run through every adapter: if Lambda, Express, Azure Functions and Google Cloud
// Functions all give the same answers, the app is not locked into any of them.
import { SEEDED } from '../support/images-fixtures';

export interface CaseRequest {
  method: string;
  path: string;
  body?: string;
}

export interface CaseResponse {
  status: number;
  contentType: string | undefined;
  body: unknown;
}

/** Sends a request through one adapter to a fresh app (testImagesApi()). */
export type Send = (request: CaseRequest) => Promise<CaseResponse>;

interface ApiCase {
  name: string;
  request: CaseRequest;
  status: number;
  body: unknown;
}

/** A message matching the pattern (expect's asymmetric matchers are typed any). */
const message = (pattern: RegExp): unknown => ({ message: expect.stringMatching(pattern) as unknown });

const valid = JSON.stringify({ title: 'Boats', imageUrl: 'https://images.example/boats.jpg' });

export const API_CASES: ApiCase[] = [
  {
    name: 'lists the images of a group',
    request: { method: 'GET', path: '/groups/g1/images' },
    status: 200,
    body: { items: [SEEDED] },
  },
  {
    name: 'reads one image',
    request: { method: 'GET', path: '/groups/g1/images/i1' },
    status: 200,
    body: SEEDED,
  },
  {
    name: 'answers 404 for an image the group does not have',
    request: { method: 'GET', path: '/groups/g1/images/missing' },
    status: 404,
    body: message(/^Group g1 has no image missing\. List/),
  },
  {
    name: 'creates an image and answers 201 with it',
    request: { method: 'POST', path: '/groups/g1/images', body: valid },
    status: 201,
    body: {
      groupId: 'g1',
      imageId: 'id-1',
      title: 'Boats',
      imageUrl: 'https://images.example/boats.jpg',
      createdAt: '2024-06-01T12:00:00.000Z',
    },
  },
  {
    name: 'refuses a body that is not JSON',
    request: { method: 'POST', path: '/groups/g1/images', body: '{"title":' },
    status: 400,
    body: message(/^The body is not valid JSON\./),
  },
  {
    name: 'refuses an image without a title',
    request: {
      method: 'POST',
      path: '/groups/g1/images',
      body: '{"imageUrl":"https://images.example/a.jpg"}',
    },
    status: 400,
    body: message(/^title must be/),
  },
  {
    name: 'refuses a URL that does not serve an image',
    request: {
      method: 'POST',
      path: '/groups/g1/images',
      body: '{"title":"x","imageUrl":"https://images.example/"}',
    },
    status: 400,
    body: message(/^imageUrl serves text\/html, not an image\./),
  },
  {
    name: 'refuses a malformed group id',
    request: { method: 'GET', path: '/groups/g$1/images' },
    status: 400,
    body: message(/^groupId must be/),
  },
  {
    name: 'answers 405 for a method the route does not take',
    request: { method: 'DELETE', path: '/groups/g1/images' },
    status: 405,
    body: { message: 'DELETE is not allowed here. Use GET or POST.' },
  },
  {
    name: 'answers 404 for an unknown path',
    request: { method: 'GET', path: '/nowhere' },
    status: 404,
    body: message(/^No route for \/nowhere\./),
  },
];

/** Declares the table's tests for one adapter. */
export function describeApiCases(adapter: string, send: Send): void {
  describe(`the images API through ${adapter}`, () => {
    it.each(API_CASES.map((apiCase) => [apiCase.name, apiCase] as const))('%s', async (_name, apiCase) => {
      const response = await send(apiCase.request);

      expect(response.status).toBe(apiCase.status);
      expect(response.contentType).toMatch(/^application\/json/);
      expect(response.body).toEqual(apiCase.body);
    });
  });
}
