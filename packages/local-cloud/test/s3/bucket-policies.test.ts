// Bucket policies for public read, as serverless.yml declares them (AWS::S3::BucketPolicy, its ARNs built
// with Fn::Join, Fn::Sub and Ref) and as the AWS CLI puts them: an unsigned GET or HEAD of what a public
// policy allows succeeds, an explicit Deny wins, and everything else unsigned stays 403. Block Public Access
// decides as on AWS, its default (all on) included, with one warning line saying why and the fix.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetObjectCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { errorOf } from './presigned-post';
import {
  CREDENTIALS,
  REGION,
  rejection,
  serviceDefinition,
  startS3,
  temporaryDirectory,
  type S3Harness,
} from './s3-harness';

const run = promisify(execFile);
const OPEN = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};
const publicRead = (resource: unknown) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: resource }],
});
/** An AWS::S3::Bucket, Block Public Access as given (default: all four off; null: no configuration). */
const bucketResource = (name: string, publicAccessBlock: Record<string, boolean> | null = OPEN) => ({
  Type: 'AWS::S3::Bucket',
  Properties: {
    BucketName: name,
    ...(publicAccessBlock ? { PublicAccessBlockConfiguration: publicAccessBlock } : {}),
  },
});
const policyResource = (bucket: unknown, document: unknown) => ({
  Type: 'AWS::S3::BucketPolicy',
  Properties: { Bucket: bucket, PolicyDocument: document },
});

const logged: string[] = [];
let harness: S3Harness;

beforeAll(async () => {
  harness = await startS3({
    log: (line) => logged.push(line),
    service: serviceDefinition({
      resources: {
        Site: bucketResource('policy-site'),
        SitePolicy: policyResource(
          { Ref: 'Site' },
          {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'PublicRead',
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'Site' }, '/public/*']] },
              },
              {
                // The usual "HTTPS only" statement: local-cloud stands in for AWS's HTTPS endpoint.
                Sid: 'TlsOnly',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [{ 'Fn::GetAtt': ['Site', 'Arn'] }, { 'Fn::Sub': '${Site.Arn}/*' }],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          },
        ),
        // The settings left out are off.
        Assets: bucketResource('policy-assets', { BlockPublicPolicy: false, RestrictPublicBuckets: false }),
        AssetsPolicy: policyResource('policy-assets', {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: ['s3:Get*', 's3:ListBucket'],
              Resource: [{ 'Fn::Sub': 'arn:aws:s3:::${Assets}' }, { 'Fn::Sub': 'arn:aws:s3:::${Assets}/*' }],
            },
            {
              Sid: 'KeepSecrets',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:GetObject',
              Resource: 'arn:aws:s3:::policy-assets/secret/*',
            },
          ],
        }),
        Defaulted: bucketResource('policy-defaulted', null),
        DefaultedPolicy: policyResource({ Ref: 'Defaulted' }, publicRead('arn:aws:s3:::policy-defaulted/*')),
        Restricted: bucketResource('policy-restricted', { ...OPEN, RestrictPublicBuckets: true }),
        RestrictedPolicy: policyResource(
          { Ref: 'Restricted' },
          publicRead({ 'Fn::Sub': '${Restricted.Arn}/*' }),
        ),
        Office: bucketResource('policy-office'),
        OfficePolicy: policyResource(
          { Ref: 'Office' },
          {
            Statement: [
              {
                Sid: 'OfficeOnly',
                Effect: 'Allow',
                Principal: '*',
                Action: 's3:GetObject',
                Resource: 'arn:aws:s3:::policy-office/*',
                Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
              },
            ],
          },
        ),
      },
    }),
  });
  for (const [bucket, key] of [
    ['policy-site', 'public/index.html'],
    ['policy-site', 'private/report.csv'],
    ['policy-assets', 'logo.svg'],
    ['policy-assets', 'secret/keys.txt'],
    ['policy-defaulted', 'page.html'],
    ['policy-restricted', 'page.html'],
    ['policy-office', 'page.html'],
  ] as const) {
    await harness.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${bucket}/${key}` }));
  }
});

afterAll(() => harness.stop());

const anonymous = (path: string, init: RequestInit = {}) => fetch(`${harness.url}${path}`, init);
const denied = async (response: Response) => ({ status: response.status, ...errorOf(await response.text()) });

describe('a public-read AWS::S3::BucketPolicy', () => {
  it('lets anyone GET and HEAD the objects its Resource names, without signing', async () => {
    const get = await anonymous('/policy-site/public/index.html');
    const head = await anonymous('/policy-site/public/index.html', { method: 'HEAD' });

    expect(get.status).toBe(200);
    expect(await get.text()).toBe('policy-site/public/index.html');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('policy-site/public/index.html'.length));
  });

  it('grants nothing outside its Resource prefix: GET private/… unsigned is 403 AccessDenied', async () => {
    expect(await denied(await anonymous('/policy-site/private/report.csv'))).toMatchObject({
      status: 403,
      Code: 'AccessDenied',
      Message: 'Access Denied',
    });
  });

  it('grants nothing but reading: unsigned PUT, DELETE and listing stay 403', async () => {
    const put = await anonymous('/policy-site/public/new.html', { method: 'PUT', body: 'defaced' });
    const remove = await anonymous('/policy-site/public/index.html', { method: 'DELETE' });
    const list = await anonymous('/policy-site?list-type=2');

    expect([put.status, remove.status, list.status]).toEqual([403, 403, 403]);
    expect(await anonymous('/policy-site/public/index.html').then((response) => response.text())).toBe(
      'policy-site/public/index.html',
    );
  });

  it('answers a missing key 403 unless the policy also allows s3:ListBucket, then 404 NoSuchKey', async () => {
    const hidden = await denied(await anonymous('/policy-site/public/missing.html'));
    const listed = await denied(await anonymous('/policy-assets/missing.svg'));

    expect(hidden).toMatchObject({ status: 403, Code: 'AccessDenied' });
    expect(listed).toMatchObject({ status: 404, Code: 'NoSuchKey' });
  });

  it('matches {"AWS": "*"} and action wildcards (s3:Get*), and an explicit Deny wins over the Allow', async () => {
    const allowed = await anonymous('/policy-assets/logo.svg');
    const secret = await denied(await anonymous('/policy-assets/secret/keys.txt'));

    expect(allowed.status).toBe(200);
    expect(secret).toMatchObject({ status: 403, Code: 'AccessDenied' });
  });

  it('refuses response-* overrides on an unsigned GET, as S3 does: 400 InvalidRequest', async () => {
    expect(
      await denied(await anonymous('/policy-site/public/index.html?response-content-type=text/plain')),
    ).toMatchObject({
      status: 400,
      Code: 'InvalidRequest',
      Message: 'Request specific response headers cannot be used for anonymous GET requests.',
    });
  });

  it('changes nothing for signed requests', async () => {
    const object = await harness.client.send(
      new GetObjectCommand({ Bucket: 'policy-site', Key: 'private/report.csv' }),
    );

    expect(await object.Body?.transformToString()).toBe('policy-site/private/report.csv');
  });
});

describe('Block Public Access', () => {
  it('left at AWS’s default (no PublicAccessBlockConfiguration): the policy is not applied, with one line saying why and the fix', async () => {
    const lines = logged.filter((line) => line.includes('DefaultedPolicy'));

    expect(await denied(await anonymous('/policy-defaulted/page.html'))).toMatchObject({
      status: 403,
      Code: 'AccessDenied',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: DefaultedPolicy grants public access to bucket "policy-defaulted"/);
    expect(lines[0]).toContain('since April 2023');
    expect(lines[0]).toContain('BlockPublicPolicy');
    expect(lines[0]).toContain(
      'Fix: set PublicAccessBlockConfiguration: { BlockPublicPolicy: false, RestrictPublicBuckets: false } on Defaulted',
    );
  });

  it('with RestrictPublicBuckets: the policy stays but grants anonymous callers nothing, and a line says so', async () => {
    const lines = logged.filter((line) => line.includes('RestrictedPolicy'));

    expect(await denied(await anonymous('/policy-restricted/page.html'))).toMatchObject({ status: 403 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('RestrictPublicBuckets');
  });

  it('says nothing about a policy it applies', () => {
    expect(logged.filter((line) => /SitePolicy|AssetsPolicy/.test(line))).toEqual([]);
  });
});

describe('a statement local-cloud cannot evaluate', () => {
  it('(a Condition on aws:SourceIp) grants nothing, and a line names it', async () => {
    const lines = logged.filter((line) => line.includes('OfficePolicy'));

    expect(await denied(await anonymous('/policy-office/page.html'))).toMatchObject({ status: 403 });
    expect(lines).toEqual([
      'warning: OfficePolicy: statement OfficeOnly: its Condition IpAddress on aws:SourceIp is not evaluated locally, so it neither allows nor denies anonymous requests locally',
    ]);
  });
});

describe('a policy S3 would refuse', () => {
  it('in serverless.yml (a Resource outside its bucket) stops the start with the field and the fix', async () => {
    const error = await rejection(
      startS3({
        service: serviceDefinition({
          resources: {
            Bucket: bucketResource('policy-bad'),
            BadPolicy: policyResource({ Ref: 'Bucket' }, publicRead('arn:aws:s3:::someone-else/*')),
          },
        }),
      }),
    );

    expect(error).toBeInstanceOf(ServiceConfigError);
    expect(error.message).toContain(
      'resources.Resources.BadPolicy.Properties.PolicyDocument: Policy has invalid resource',
    );
  });

  it('through PutBucketPolicy: 400 MalformedPolicy', async () => {
    await harness.client.send(new CreateBucketCommand({ Bucket: 'policy-api-malformed' }));
    await harness.client.send(new DeletePublicAccessBlockCommand({ Bucket: 'policy-api-malformed' }));

    const invalidJson = await rejection(
      harness.client.send(new PutBucketPolicyCommand({ Bucket: 'policy-api-malformed', Policy: 'not json' })),
    );
    const otherBucket = await rejection(
      harness.client.send(
        new PutBucketPolicyCommand({
          Bucket: 'policy-api-malformed',
          Policy: JSON.stringify(publicRead('arn:aws:s3:::another-bucket/*')),
        }),
      ),
    );

    expect([invalidJson.name, invalidJson.message]).toEqual([
      'MalformedPolicy',
      "Policies must be valid JSON and the first byte must be '{'",
    ]);
    expect([otherBucket.name, otherBucket.$metadata.httpStatusCode]).toEqual(['MalformedPolicy', 400]);
  });
});

describe('the policy APIs, as the AWS CLI calls them', () => {
  jest.setTimeout(60_000);

  it('put-bucket-policy is refused under the default Block Public Access, then applies once it is lifted; delete-bucket-policy ends it', async () => {
    const home = temporaryDirectory('s3-policy-cli');
    const aws = (...args: string[]) =>
      run('aws', [...args, '--endpoint-url', harness.url, '--output', 'json'], {
        env: {
          PATH: process.env.PATH,
          HOME: home.dir,
          AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
          AWS_DEFAULT_REGION: REGION,
          AWS_PAGER: '',
        },
      });
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => '',
        (error: { stderr?: string }) => error.stderr ?? '',
      );
    const policy = JSON.stringify(publicRead('arn:aws:s3:::policy-cli/*'));
    try {
      await aws('s3api', 'create-bucket', '--bucket', 'policy-cli');
      await harness.client.send(
        new PutObjectCommand({ Bucket: 'policy-cli', Key: 'hello.txt', Body: 'hello' }),
      );

      const blocked = await failure(
        aws('s3api', 'put-bucket-policy', '--bucket', 'policy-cli', '--policy', policy),
      );
      const defaults = JSON.parse(
        (await aws('s3api', 'get-public-access-block', '--bucket', 'policy-cli')).stdout,
      ) as unknown;
      await aws('s3api', 'delete-public-access-block', '--bucket', 'policy-cli');
      await aws('s3api', 'put-bucket-policy', '--bucket', 'policy-cli', '--policy', policy);
      const stored = JSON.parse(
        (await aws('s3api', 'get-bucket-policy', '--bucket', 'policy-cli')).stdout,
      ) as {
        Policy: string;
      };
      const opened = await anonymous('/policy-cli/hello.txt');
      await aws(
        's3api',
        'put-public-access-block',
        '--bucket',
        'policy-cli',
        '--public-access-block-configuration',
        'RestrictPublicBuckets=true',
      );
      const restricted = await anonymous('/policy-cli/hello.txt');
      await aws('s3api', 'delete-public-access-block', '--bucket', 'policy-cli');
      await aws('s3api', 'delete-bucket-policy', '--bucket', 'policy-cli');
      const closed = await anonymous('/policy-cli/hello.txt');
      const gone = await failure(aws('s3api', 'get-bucket-policy', '--bucket', 'policy-cli'));
      const noBlock = await failure(aws('s3api', 'get-public-access-block', '--bucket', 'policy-cli'));

      expect(blocked).toContain(
        'An error occurred (AccessDenied) when calling the PutBucketPolicy operation: Access Denied',
      );
      expect(defaults).toEqual({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(JSON.parse(stored.Policy)).toEqual(JSON.parse(policy));
      expect([opened.status, await opened.text()]).toEqual([200, 'hello']);
      expect(restricted.status).toBe(403);
      expect(closed.status).toBe(403);
      expect(gone).toContain(
        '(NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist',
      );
      expect(noBlock).toContain('(NoSuchPublicAccessBlockConfiguration)');
    } finally {
      home.remove();
    }
  });

  it('on a declared bucket, at the next start: a policy put through the API stays, one whose resource was removed goes', async () => {
    const { dir, remove } = temporaryDirectory('s3-policy-redeploy');
    const declared = (withPolicy: boolean) =>
      serviceDefinition({
        servicePath: dir,
        resources: {
          Api: bucketResource('policy-redeploy-api'),
          Template: bucketResource('policy-redeploy-template'),
          ...(withPolicy
            ? {
                TemplatePolicy: policyResource(
                  { Ref: 'Template' },
                  publicRead('arn:aws:s3:::policy-redeploy-template/*'),
                ),
              }
            : {}),
        },
      });
    const reads = async (url: string) =>
      Promise.all(
        ['policy-redeploy-api', 'policy-redeploy-template'].map(
          async (name) => (await fetch(`${url}/${name}/a.txt`)).status,
        ),
      );
    try {
      const first = await startS3({ service: declared(true), inMemory: false });
      await first.client.send(
        new PutBucketPolicyCommand({
          Bucket: 'policy-redeploy-api',
          Policy: JSON.stringify(publicRead('arn:aws:s3:::policy-redeploy-api/*')),
        }),
      );
      for (const name of ['policy-redeploy-api', 'policy-redeploy-template']) {
        await first.client.send(new PutObjectCommand({ Bucket: name, Key: 'a.txt', Body: 'a' }));
      }
      const before = await reads(first.url);
      await first.stop();

      const second = await startS3({ service: declared(false), inMemory: false });
      try {
        expect(before).toEqual([200, 200]);
        expect(await reads(second.url)).toEqual([200, 403]);
      } finally {
        await second.stop();
      }
    } finally {
      remove();
    }
  });

  it('keeps a policy put through the API across a restart of a persisted service', async () => {
    const { dir, remove } = temporaryDirectory('s3-policy-restart');
    try {
      const service = serviceDefinition({ servicePath: dir });
      const first = await startS3({ service, inMemory: false });
      await first.client.send(new CreateBucketCommand({ Bucket: 'policy-kept' }));
      await first.client.send(new DeletePublicAccessBlockCommand({ Bucket: 'policy-kept' }));
      await first.client.send(
        new PutBucketPolicyCommand({
          Bucket: 'policy-kept',
          Policy: JSON.stringify(publicRead('arn:aws:s3:::policy-kept/*')),
        }),
      );
      await first.client.send(new PutObjectCommand({ Bucket: 'policy-kept', Key: 'a.txt', Body: 'kept' }));
      await first.stop();

      const second = await startS3({ service, inMemory: false });
      try {
        const response = await fetch(`${second.url}/policy-kept/a.txt`);

        expect([response.status, await response.text()]).toEqual([200, 'kept']);
      } finally {
        await second.stop();
      }
    } finally {
      remove();
    }
  });
});
