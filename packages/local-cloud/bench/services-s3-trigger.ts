// Presigned upload to S3-triggered handler: a client PUTs to a presigned URL (as a browser uploads a photo),
// S3 stores the object and notifies, Lambda's async queue invokes the function in its sandbox. Measured from
// the PUT's start to the handler's first line, one upload at a time, after warm-up uploads that start the
// sandbox.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  benchService,
  epochNow,
  handlerLatencies,
  StartMarks,
  withLocalCloud,
  type LatencyResult,
} from './services-support';

const BUCKET = 'services-bench-uploads';

export async function runS3TriggerBenchmark(uploads = 50, warmUp = 5): Promise<LatencyResult> {
  const service = benchService('s3-trigger', {
    onUpload: {
      handler: 'src/on-upload.handler',
      events: [{ s3: { bucket: BUCKET, event: 's3:ObjectCreated:*', rules: [{ prefix: 'uploads/' }] } }],
    },
  });
  const marks = new StartMarks();
  return withLocalCloud(service, marks, async (cloud) => {
    const s3 = new S3Client({
      endpoint: cloud.platform.services.s3.url,
      region: 'us-east-1',
      credentials: cloud.credentials,
    });
    const body = Buffer.alloc(64 * 1024, 7);
    const result = await handlerLatencies(marks, uploads, warmUp, async (i) => {
      const key = `uploads/photo-${i}.jpg`;
      const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: key }), {
        expiresIn: 300,
      });
      const sentAt = epochNow();
      const response = await fetch(url, { method: 'PUT', body });
      if (response.status !== 200)
        throw new Error(`upload refused: ${response.status} ${await response.text()}`);
      return { key: key, sentAt };
    });
    s3.destroy();
    return result;
  });
}

if (require.main === module) {
  void runS3TriggerBenchmark().then((result) => console.log(result));
}
