// The image handlers end to end in memory: middleware, use cases and the in-memory repository, with Secrets
// Manager mocked for the signing key.
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { apiGatewayEvent, createContext } from '@serverless-course/test-kit';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createImageHandler } from '../../src/handlers/create-image';
import { deleteImageHandler } from '../../src/handlers/delete-image';
import { getImageHandler } from '../../src/handlers/get-image';
import { updateImageHandler } from '../../src/handlers/update-image';
import type { Image } from '../../src/images/image';
import type { Environment } from '../../src/images/images-service';
import { MemoryImageRepository } from '../support/memory-image-repository';

const secrets = mockClient(SecretsManagerClient);
const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:authentication/test/handlers';
const NOW = new Date('2026-11-21T10:00:00.000Z');
const environment: Environment = { now: () => NOW, newId: () => 'image-1' };
const alicesImage: Image = {
  imageId: 'image-1',
  userId: 'alice',
  title: 'Sunset',
  createdAt: '2026-11-20T08:00:00.000Z',
  updatedAt: '2026-11-20T08:00:00.000Z',
};

beforeEach(() => {
  // The secrets middleware schedules a refresh of its cache in 5 minutes; fake timers keep that timer from
  // holding the test process open.
  jest.useFakeTimers({ now: NOW });
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({ SecretString: 'test-signing-key' });
});

function request(method: string, userId: string | undefined, body?: unknown): APIGatewayProxyEvent {
  return apiGatewayEvent({
    method,
    path: '/images/image-1',
    pathParameters: { imageId: 'image-1' },
    headers: { 'Content-Type': 'application/json' },
    body,
    ...(userId === undefined ? {} : { authorizer: { principalId: userId, userId } }),
  });
}

afterEach(() => {
  jest.useRealTimers();
});

describe('the image handlers', () => {
  it('create an image owned by the token user, with an upload ticket signed by the secret key', async () => {
    const images = new MemoryImageRepository();
    const handler = createImageHandler(images, SECRET_ID, environment);

    const response = await handler(request('POST', 'alice', { title: 'Sunset' }), createContext());

    expect(response.statusCode).toBe(201);
    const body = JSON.parse(response.body) as { image: Image; uploadTicket: string };
    expect(body.image).toMatchObject({ imageId: 'image-1', userId: 'alice', title: 'Sunset' });
    const expires = NOW.getTime() / 1000 + 900;
    const signature = createHmac('sha256', 'test-signing-key')
      .update(`image-1\nalice\n${expires}`)
      .digest('base64url');
    expect(body.uploadTicket).toBe(`${expires}.${signature}`);
  });

  it('get an image without a token', async () => {
    const handler = getImageHandler(new MemoryImageRepository([alicesImage]));

    const response = await handler(request('GET', undefined), createContext());

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual(alicesImage);
  });

  it("answer 403 when bob changes alice's image", async () => {
    const handler = updateImageHandler(new MemoryImageRepository([alicesImage]), environment);

    const response = await handler(request('PATCH', 'bob', { title: 'Mine' }), createContext());

    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toEqual({
      message: expect.stringContaining('belongs to another user') as unknown,
    });
  });

  it("answer 403 when bob deletes alice's image, and 204 when alice does", async () => {
    const images = new MemoryImageRepository([alicesImage]);
    const handler = deleteImageHandler(images);

    const byBob = await handler(request('DELETE', 'bob'), createContext());
    const byAlice = await handler(request('DELETE', 'alice'), createContext());

    expect(byBob.statusCode).toBe(403);
    expect(byAlice.statusCode).toBe(204);
    expect(images.images.size).toBe(0);
  });

  it('answer 401 to a write that reached the function without an authorizer', async () => {
    const handler = updateImageHandler(new MemoryImageRepository([alicesImage]), environment);

    const response = await handler(request('PATCH', undefined, { title: 'Mine' }), createContext());

    expect(response.statusCode).toBe(401);
  });
});
