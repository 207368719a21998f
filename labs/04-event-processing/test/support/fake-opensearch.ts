import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

type Answer = { status: number; body: unknown };

/**
 * A stand-in for an OpenSearch cluster on 127.0.0.1: records every request the client sends and answers with
 * what the test queued for that method and path (200 `{}` otherwise).
 */
export class FakeOpenSearch {
  readonly requests: RecordedRequest[] = [];
  private readonly answers = new Map<string, Answer>();
  private server?: Server;

  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  answer(method: string, path: string, status: number, body: unknown): void {
    this.answers.set(`${method} ${path}`, { status, body });
  }

  reset(): void {
    this.requests.length = 0;
    this.answers.clear();
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const path = (request.url ?? '').split('?')[0] ?? '';
        this.requests.push({
          method: request.method ?? '',
          path,
          contentType: request.headers['content-type'],
          body,
        });
        const answer = this.answers.get(`${request.method} ${path}`) ?? { status: 200, body: {} };
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.server?.close((error) => (error ? reject(error) : resolve())),
    );
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
