// S3 event notifications are at least once across a crash: what local-cloud acknowledged before a kill -9 is
// delivered after the restart, and, once delivered, never again.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { S3Event } from 'aws-lambda';
import { localCredentials } from '../../src/endpoints';
import { preparePlatform, type Platform } from '../../src/platform';
import { outboxService } from '../fixtures/s3/outbox-service';
import { FakeLambdaService } from '../support/fake-lambda-service';

const credentials = localCredentials({});
let servicePath: string;

beforeAll(() => {
  servicePath = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-outbox-'));
});

afterAll(() => {
  rmSync(servicePath, { recursive: true, force: true });
});

const outboxDir = () => path.join(servicePath, '.local-cloud', 's3', 'notifications');

/** Runs the uploader in its own process until it has three acknowledged uploads, then kills it (-9). */
async function uploadThenCrash(): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '../fixtures/s3/acknowledge-until-killed.ts'), servicePath],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const acked: string[] = [];
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error('the uploader exited before it was killed')));
    lines.on('line', (line) => {
      if (line.startsWith('acked ')) acked.push(line.slice('acked '.length));
      if (line === 'all acked') resolve();
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return acked;
}

/** The platform again, on the same folder, connected to a runtime that records the keys it is notified of. */
async function restart(
  log: string[],
): Promise<{ platform: Platform; keys: string[]; delivered: Promise<void> }> {
  const service = outboxService(servicePath);
  const keys: string[] = [];
  let allDelivered: () => void = () => undefined;
  const delivered = new Promise<void>((resolve) => (allDelivered = resolve));
  const lambda = new FakeLambdaService(
    {
      onUpload: {
        definition: service.functions.onUpload!,
        handler: async (event) => {
          keys.push(...(event as S3Event).Records.map((record) => record.s3.object.key));
          if (keys.length >= 3) allDelivered();
          return null;
        },
      },
    },
    'outbox',
  );
  const platform = await preparePlatform({ service, credentials, log: (line) => log.push(line) });
  await platform.connect({ lambda });
  return { platform, keys, delivered };
}

describe('S3 event notifications across a crash', () => {
  it('are delivered after the restart for every acknowledged upload, and not again once delivered', async () => {
    const acked = await uploadThenCrash();
    expect(acked).toEqual(['photo-0.jpg', 'photo-1.jpg', 'photo-2.jpg']);
    expect(readdirSync(outboxDir())).toHaveLength(3);

    const log: string[] = [];
    const first = await restart(log);
    await first.delivered;
    // Each leaves the outbox once its invocation has finished; stop() would not wait for that.
    await first.platform.services.s3.notificationsDelivered();
    await first.platform.stop();

    expect(first.keys.sort()).toEqual(acked);
    expect(log.join('\n')).toContain(
      'delivering 3 event notification(s) acknowledged before the last stop and not delivered then (S3 delivers at least once)',
    );
    expect(readdirSync(outboxDir())).toEqual([]);

    const again: string[] = [];
    const second = await restart(again);
    await second.platform.stop();
    expect(again.join('\n')).not.toContain('delivering');
    expect(second.keys).toEqual([]);
  }, 60_000);

  it('reports an outbox entry it cannot read, with the file and the fix, instead of skipping it silently', async () => {
    const damaged = path.join(outboxDir(), '0000000000000000-damaged.json');
    writeFileSync(damaged, '{"bucket":"outbox-up');
    const log: string[] = [];

    const { platform } = await restart(log);
    await platform.stop();

    expect(log.join('\n')).toContain(
      `warning: ${damaged} is not an event notification local-cloud can read (a crash mid-write?), so it is not delivered. Fix: read it, then delete it`,
    );
    expect(existsSync(damaged)).toBe(true);
  }, 30_000);
});
