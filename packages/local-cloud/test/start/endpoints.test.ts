import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normalizeService } from '../../src/config/normalize';
import {
  DEFAULT_CREDENTIALS,
  describeEndpoints,
  endpointsFilePath,
  localCredentials,
  writeEndpointsFile,
} from '../../src/endpoints';

const printed = JSON.parse(
  readFileSync(path.join(__dirname, '../fixtures/config/printed/variables-service.dev.json'), 'utf8'),
) as Record<string, unknown>;
const service = normalizeService(printed, {
  servicePath: '/services/variables',
  configFile: '/s/serverless.yml',
});

describe('the endpoints description', () => {
  const endpoints = describeEndpoints({
    service,
    apiUrl: 'http://127.0.0.1:3000/dev',
    lambdaEndpoint: 'http://127.0.0.1:3001',
    credentials: DEFAULT_CREDENTIALS,
    accountId: '123456789012',
  });

  it('names the service, stage, region and both endpoints', () => {
    expect(endpoints).toMatchObject({
      service: 'variables-service',
      stage: 'dev',
      region: 'eu-west-1',
      apiUrl: 'http://127.0.0.1:3000/dev',
      endpoints: {
        apigateway: 'http://127.0.0.1:3000/dev',
        lambda: 'http://127.0.0.1:3001',
        aws: 'http://127.0.0.1:3001',
      },
      environment: { AWS_ENDPOINT_URL: 'http://127.0.0.1:3001', AWS_REGION: 'eu-west-1' },
      credentials: { accessKeyId: 'LOCALCLOUDACCESSKEY', secretAccessKey: 'local-cloud-secret-key' },
    });
  });

  it('lists every function with its ARN and the URLs of its routes', () => {
    expect(endpoints.functions).toEqual([
      {
        key: 'hello',
        name: 'variables-service-dev-hello',
        arn: 'arn:aws:lambda:eu-west-1:123456789012:function:variables-service-dev-hello',
        routes: [{ method: 'GET', path: '/hello', url: 'http://127.0.0.1:3000/dev/hello' }],
      },
      {
        key: 'createItem',
        name: 'create-item-dev',
        arn: 'arn:aws:lambda:eu-west-1:123456789012:function:create-item-dev',
        routes: [{ method: 'POST', path: '/items', url: 'http://127.0.0.1:3000/dev/items' }],
      },
      {
        key: 'echo',
        name: 'variables-service-dev-echo',
        arn: 'arn:aws:lambda:eu-west-1:123456789012:function:variables-service-dev-echo',
        routes: [{ method: 'ANY', path: '/echo/{proxy+}', url: 'http://127.0.0.1:3000/dev/echo/{proxy+}' }],
      },
    ]);
  });

  it('is written as JSON to <service>/.local-cloud/endpoints.json, which git ignores', () => {
    const servicePath = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-endpoints-'));
    try {
      const file = writeEndpointsFile(servicePath, endpoints);

      expect(file).toBe(path.join(servicePath, '.local-cloud', 'endpoints.json'));
      expect(file).toBe(endpointsFilePath(servicePath));
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(endpoints);
      expect(readFileSync(path.join(servicePath, '.local-cloud', '.gitignore'), 'utf8')).toBe('*\n');
    } finally {
      rmSync(servicePath, { recursive: true, force: true });
    }
  });
});

describe('the access key pair local-cloud accepts', () => {
  it('is the documented local pair by default', () => {
    expect(localCredentials({})).toEqual({
      accessKeyId: 'LOCALCLOUDACCESSKEY',
      secretAccessKey: 'local-cloud-secret-key',
    });
  });

  it('can be replaced through the environment', () => {
    const env = { LOCAL_CLOUD_ACCESS_KEY_ID: 'AKIDEXAMPLE', LOCAL_CLOUD_SECRET_ACCESS_KEY: 'example-secret' };

    expect(localCredentials(env)).toEqual({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret' });
  });
});
