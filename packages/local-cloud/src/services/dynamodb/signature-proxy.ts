// local-cloud's DynamoDB endpoint: a small HTTP proxy in front of DynamoDB Local that verifies each request's
// SigV4 signature against the key pair local-cloud publishes, as DynamoDB does. DynamoDB Local itself accepts
// any key and any signature, so without this a handler configured with the wrong credentials or region would
// work locally and fail on AWS. Refusals use DynamoDB's own wire shape (HTTP 400, `__type`, `message`), so the
// SDK throws the same exception class it throws on AWS. Operations DynamoDB Local does not implement get its
// UnknownOperationException, with a message naming the operation.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { listen, type Listener } from '../../http-listener';
import { AwsApiError } from '../../invoke-api/errors';
import { createSignatureVerifier, type AccessKeyPair } from '../../invoke-api/sigv4';

export interface SignatureProxyOptions {
  port: number;
  /** DynamoDB Local's port on 127.0.0.1. */
  backendPort: number;
  credentials: AccessKeyPair;
  region: string;
}

export interface SignatureProxy {
  port: number;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/x-amz-json-1.0';

export async function startSignatureProxy(options: SignatureProxyOptions): Promise<SignatureProxy> {
  const verify = createSignatureVerifier({
    credentials: options.credentials,
    region: options.region,
    // DynamoDB Streams clients sign with the same service name as DynamoDB's.
    service: 'dynamodb',
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const listener: Listener = await listen({
    port: options.port,
    host: '127.0.0.1',
    purpose: 'DynamoDB',
    fix: 'pass another --dynamodb-port',
  });
  listener.attach((req, res) => {
    void readBody(req)
      .then(async (body) => {
        // A browser's CORS preflight carries no signature; DynamoDB answers it unsigned too.
        if (req.method !== 'OPTIONS') {
          try {
            await verify({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body });
          } catch (error) {
            if (error instanceof AwsApiError) return sendError(res, error.type, error.message);
            throw error;
          }
        }
        forward(req, res, body, options.backendPort, agent);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 'InternalServerError', (error as Error).message, 500);
        else res.destroy();
      });
  });
  return {
    port: listener.port,
    close: async () => {
      await listener.close();
      agent.destroy();
    },
  };
}

function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
  backendPort: number,
  agent: http.Agent,
): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  const upstream = http.request(
    {
      host: '127.0.0.1',
      port: backendPort,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'content-length': String(body.length) },
      agent,
    },
    (response) => {
      const status = response.statusCode ?? 502;
      if (status !== 400) {
        res.writeHead(status, response.headers);
        response.pipe(res);
        return;
      }
      // Errors are small: read them to name the operation DynamoDB Local does not know.
      void readBody(response).then((errorBody) => {
        const text = errorBody.toString();
        if (text.includes('UnknownOperationException')) {
          const operation = target.split('.').pop() || '(no X-Amz-Target)';
          return sendError(
            res,
            'UnknownOperationException',
            `An unknown operation was requested: ${operation}. DynamoDB Local, which serves DynamoDB in local-cloud, does not implement it.`,
          );
        }
        res.writeHead(status, response.headers);
        res.end(errorBody);
      });
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) {
      sendError(res, 'InternalServerError', `DynamoDB Local did not answer: ${error.message}`, 500);
    } else res.destroy();
  });
  upstream.end(body);
}

function sendError(res: http.ServerResponse, type: string, message: string, status = 400): void {
  const payload = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
  res
    .writeHead(status, {
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': randomUUID(),
    })
    .end(payload);
}

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
