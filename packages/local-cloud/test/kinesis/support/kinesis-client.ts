// A Kinesis client for local-cloud's AWS endpoint, as users make one: SDK v3's Kinesis client speaks HTTP/2 for
// every call (h2c with prior knowledge on an `http://` endpoint), which the edge answers.
import { KinesisClient } from '@aws-sdk/client-kinesis';

export function kinesisClient(
  endpoint: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): KinesisClient {
  return new KinesisClient({ endpoint, region, credentials });
}
