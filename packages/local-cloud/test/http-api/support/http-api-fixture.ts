// Starts local-cloud on a copy of one of the HTTP API fixtures (test/fixtures/http-api/<name>), as a user
// starts it on their service folder: serverless.yml resolved by the framework, functions in real sandboxes,
// data in memory. Each test file gets its own copy, so files running side by side never share a build folder.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, type LocalCloud } from '../../../src/start';
import { logRecorder } from '../../support/log-recorder';

export interface StartedFixture {
  cloud: LocalCloud;
  /** The HTTP API's URL: `http://127.0.0.1:<port>`. */
  url: string;
  log: ReturnType<typeof logRecorder>;
  stop(): Promise<void>;
}

export async function startFixture(name: 'http-api-service' | 'payload-v1-service'): Promise<StartedFixture> {
  const servicePath = mkdtempSync(path.join(os.tmpdir(), `local-cloud-${name}-`));
  cpSync(path.join(__dirname, '../../fixtures/http-api', name), servicePath, { recursive: true });
  const log = logRecorder();
  try {
    const cloud = await start({ servicePath, inMemory: true, log: log.log });
    if (!cloud.httpApiUrl) throw new Error('local-cloud started without an HTTP API');
    return {
      cloud,
      url: cloud.httpApiUrl,
      log,
      stop: async () => {
        await cloud.stop();
        rmSync(servicePath, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(servicePath, { recursive: true, force: true });
    throw error;
  }
}

/** The body of a response of the echo handlers: the event the function received, and `Ref: HttpApi`. */
export async function echoed<E>(response: Response): Promise<{ event: E; httpApiId: string }> {
  expect(response.status).toBe(200);
  return (await response.json()) as { event: E; httpApiId: string };
}
