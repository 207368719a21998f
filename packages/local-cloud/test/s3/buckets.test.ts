import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketCorsCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { createS3Service } from '../../src/services/s3/s3-service';
import { CREDENTIALS, rejection, serviceDefinition, startS3, type S3Harness } from './s3-harness';

let harness: S3Harness;

const SERVICE = serviceDefinition({
  service: 'buckets-test',
  functions: {
    thumbnail: [
      { s3: { bucket: 'buckets-test-uploads', event: 's3:ObjectCreated:*', rules: [{ prefix: 'in/' }] } },
    ],
    audit: [{ s3: 'buckets-test-short-form' }],
    legacy: [{ s3: { bucket: 'buckets-test-made-elsewhere', existing: true } }],
  },
  resources: {
    ImagesBucket: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: { 'Fn::Sub': 'buckets-test-images-${AWS::Region}' },
        CorsConfiguration: {
          CorsRules: [
            { AllowedOrigins: ['http://localhost:5173'], AllowedMethods: ['GET', 'PUT'], MaxAge: 3000 },
          ],
        },
      },
    },
    UnnamedBucket: { Type: 'AWS::S3::Bucket' },
    NotABucket: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'not-a-bucket' } },
  },
});

beforeAll(async () => {
  harness = await startS3({ service: SERVICE });
});

afterAll(() => harness.stop());

describe('buckets from the service configuration', () => {
  it('exist at start: CloudFormation buckets (named or not) and those of s3 events, but not existing: true ones', async () => {
    const output = await harness.client.send(new ListBucketsCommand({}));
    const names = output.Buckets?.map((bucket) => bucket.Name);

    expect(names).toEqual(
      expect.arrayContaining([
        'buckets-test-images-us-east-1',
        'buckets-test-uploads',
        'buckets-test-short-form',
      ]),
    );
    expect(names).not.toContain('buckets-test-made-elsewhere');
    expect(names?.some((name) => /^buckets-test-dev-unnamedbucket-[0-9a-f]{12}$/.test(name ?? ''))).toBe(
      true,
    );
    expect(output.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('carry the CloudFormation CorsConfiguration', async () => {
    const cors = await harness.client.send(
      new GetBucketCorsCommand({ Bucket: 'buckets-test-images-us-east-1' }),
    );

    expect(cors.CORSRules).toEqual([
      { AllowedOrigins: ['http://localhost:5173'], AllowedMethods: ['GET', 'PUT'], MaxAgeSeconds: 3000 },
    ]);
  });

  it('with an invalid name stop the start with a one-line error naming the field and the fix', async () => {
    const service = serviceDefinition({
      resources: { Bad: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'Upper_Case' } } },
    });

    const error = await rejection(createS3Service({ service, inMemory: true, credentials: CREDENTIALS }));

    expect(error).toBeInstanceOf(ServiceConfigError);
    expect(error.message).toMatch(
      /serverless\.yml: resources\.Resources\.Bad\.Properties\.BucketName: "Upper_Case" is not a valid S3 bucket name\. Fix: /,
    );
  });
});

describe('CreateBucket, HeadBucket, DeleteBucket', () => {
  it('create a bucket that HeadBucket then finds, and delete it', async () => {
    const created = await harness.client.send(new CreateBucketCommand({ Bucket: 'buckets-test-lifecycle' }));
    const head = await harness.client.send(new HeadBucketCommand({ Bucket: 'buckets-test-lifecycle' }));
    const deleted = await harness.client.send(new DeleteBucketCommand({ Bucket: 'buckets-test-lifecycle' }));
    const gone = await rejection(
      harness.client.send(new HeadBucketCommand({ Bucket: 'buckets-test-lifecycle' })),
    );

    expect(created.Location).toBe('/buckets-test-lifecycle');
    expect(head.BucketRegion).toBe('us-east-1');
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(gone.name).toBe('NotFound');
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });

  it('CreateBucket of an existing bucket answers 200 in us-east-1 (S3 legacy behaviour)', async () => {
    const again = await harness.client.send(new CreateBucketCommand({ Bucket: 'buckets-test-uploads' }));

    expect(again.$metadata.httpStatusCode).toBe(200);
  });

  it('CreateBucket of an existing bucket gives 409 BucketAlreadyOwnedByYou in other regions', async () => {
    const other = await startS3({ service: serviceDefinition({ region: 'eu-west-1' }) });
    try {
      const configuration = { LocationConstraint: 'eu-west-1' as const };
      await other.client.send(
        new CreateBucketCommand({ Bucket: 'buckets-test-eu', CreateBucketConfiguration: configuration }),
      );

      const error = await rejection(
        other.client.send(
          new CreateBucketCommand({ Bucket: 'buckets-test-eu', CreateBucketConfiguration: configuration }),
        ),
      );
      const location = await other.client.send(new GetBucketLocationCommand({ Bucket: 'buckets-test-eu' }));

      expect(error.name).toBe('BucketAlreadyOwnedByYou');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(location.LocationConstraint).toBe('eu-west-1');
    } finally {
      await other.stop();
    }
  });

  it('CreateBucket with an invalid name gives 400 InvalidBucketName', async () => {
    const error = await rejection(harness.client.send(new CreateBucketCommand({ Bucket: 'ab' })));

    expect(error.name).toBe('InvalidBucketName');
  });

  it('DeleteBucket of a bucket with objects gives 409 BucketNotEmpty', async () => {
    await harness.client.send(
      new PutObjectCommand({ Bucket: 'buckets-test-short-form', Key: 'k', Body: 'v' }),
    );

    const error = await rejection(
      harness.client.send(new DeleteBucketCommand({ Bucket: 'buckets-test-short-form' })),
    );

    expect(error.name).toBe('BucketNotEmpty');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('DeleteBucket of a missing bucket gives 404 NoSuchBucket', async () => {
    const error = await rejection(
      harness.client.send(new DeleteBucketCommand({ Bucket: 'buckets-test-missing' })),
    );

    expect(error.name).toBe('NoSuchBucket');
  });
});

describe('operations local-cloud does not implement', () => {
  it('answer 501 NotImplemented naming the operation, at once', async () => {
    const tagging = await rejection(
      harness.client.send(new GetBucketTaggingCommand({ Bucket: 'buckets-test-uploads' })),
    );
    const versioning = await rejection(
      harness.client.send(
        new PutBucketVersioningCommand({
          Bucket: 'buckets-test-uploads',
          VersioningConfiguration: { Status: 'Enabled' },
        }),
      ),
    );

    expect(tagging.name).toBe('NotImplemented');
    expect(tagging.$metadata.httpStatusCode).toBe(501);
    expect(tagging.message).toContain('GetBucketTagging');
    expect(versioning.message).toContain('PutBucketVersioning');
  });
});
