// The integration contract against the Lambda handler directly: the real adapter, app and HTTP probe, the
// repository in memory. Fast, and a failure here is in the code, not in the emulator.
import { apiGatewayEvent, createContext } from '@serverless-course/test-kit';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { lambdaHandler } from '../../src/adapters/lambda-http';
import { HttpImageProbe } from '../../src/adapters/http-image-probe';
import { MemoryImageRepository } from '../../src/adapters/memory-image-repository';
import { createImagesApi } from '../../src/app/images-api';
import { describeImagesContract, startImageHost, type Transport } from './images-contract';

const handler = lambdaHandler(
  createImagesApi({
    images: new MemoryImageRepository(),
    probe: new HttpImageProbe(),
    newId: randomUUID,
    now: () => new Date(),
  }),
);

const send: Transport = async (method, path, body) => {
  const event = apiGatewayEvent({
    method,
    path,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const result = (await handler(event, createContext(), () => {})) as APIGatewayProxyResult;
  return { status: result.statusCode, body: JSON.parse(result.body) as unknown };
};

let imageHost: Awaited<ReturnType<typeof startImageHost>>;

beforeAll(async () => {
  imageHost = await startImageHost();
});

afterAll(async () => {
  await imageHost.close();
});

describeImagesContract('the images contract against the handler directly', () => ({
  send,
  imageHost: imageHost.url,
}));
