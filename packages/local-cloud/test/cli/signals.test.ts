// Stopping `npx local-cloud start` the way a process manager or CI stops it (SIGTERM to the npx wrapper alone)
// or a terminal does (Ctrl+C: SIGINT to its whole process group) stops everything it started: local-cloud
// itself, DynamoDB Local's Java and every sandbox.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '@serverless-course/test-kit';
import { resolveService } from '../../src/config/load-service';
import { SHARED_DYNAMODB_LOCAL_ENV } from '../../src/services/dynamodb/shared-dynamodb-local';
import { isRunning, processTree } from '../support/process-tree';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
let service: string;

beforeAll(async () => {
  service = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-signals-'));
  mkdirSync(path.join(service, 'src'));
  writeFileSync(
    path.join(service, 'serverless.yml'),
    [
      'service: signals',
      "frameworkVersion: '3'",
      'provider:',
      '  name: aws',
      '  runtime: nodejs24.x',
      '  region: us-east-1',
      'functions:',
      '  hello:',
      '    handler: src/hello.handler',
      '    events:',
      '      - http: GET /hello',
      'resources:',
      '  Resources:',
      '    Items:',
      '      Type: AWS::DynamoDB::Table',
      '      Properties:',
      '        TableName: signals-items',
      '        BillingMode: PAY_PER_REQUEST',
      '        AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]',
      '        KeySchema: [{ AttributeName: id, KeyType: HASH }]',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(service, 'src', 'hello.js'),
    "exports.handler = async () => ({ statusCode: 200, body: 'hello' });\n",
  );
  // Resolved once by the framework, so each start below reads the cached resolution.
  await resolveService(service);
}, 90_000);

afterAll(() => {
  rmSync(service, { recursive: true, force: true });
});

async function startThroughNpx(): Promise<{ npx: ReturnType<typeof spawn>; apiUrl: string }> {
  const npx = spawn('npx', ['--no-install', 'local-cloud', 'start', service, '--port', '0', '--in-memory'], {
    cwd: ROOT,
    // Its own DynamoDB Local, a child to see stop: not the one `npm test` shares with in-memory services.
    env: Object.fromEntries(
      Object.entries(process.env).filter(([name]) => name !== SHARED_DYNAMODB_LOCAL_ENV),
    ),
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, as a terminal gives a command, so Ctrl+C can be sent as a terminal sends it.
    detached: true,
  });
  let output = '';
  const apiUrl = await new Promise<string>((resolve, reject) => {
    npx.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const route = /GET\s+(http:\/\/127\.0\.0\.1:\d+\/dev)\/hello/.exec(output);
      if (route && output.includes('Ready in')) resolve(route[1]!);
    });
    npx.once('exit', (code) =>
      reject(new Error(`npx local-cloud exited (${code}) before it was ready:\n${output}`)),
    );
  });
  return { npx, apiUrl };
}

describe('npx local-cloud start, stopped by a signal', () => {
  it.each([
    { signal: 'SIGTERM', to: 'npx alone, as kill, a process manager or CI sends it' },
    { signal: 'SIGINT', to: 'its process group, as Ctrl+C in a terminal sends it' },
  ] as const)(
    '$signal to $to stops local-cloud, Java and the sandboxes',
    async ({ signal }) => {
      const { npx, apiUrl } = await startThroughNpx();
      let started: number[] = [];
      try {
        // A sandbox to stop too: the function's first invocation starts one.
        expect(await (await fetch(`${apiUrl}/hello`)).text()).toBe('hello');
        started = processTree(npx.pid!).slice(1);
        const commands = started.map((pid) => {
          try {
            return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
          } catch {
            return '';
          }
        });
        expect(commands.some((command) => command.includes('DynamoDBLocal.jar'))).toBe(true);
        expect(commands.some((command) => command.includes('sandbox-runtime'))).toBe(true);

        const exited = new Promise((resolve) => npx.once('exit', resolve));
        if (signal === 'SIGINT') process.kill(-npx.pid!, signal);
        else npx.kill(signal);
        await exited;

        await eventually(() => started.every((pid) => !isRunning(pid)), {
          timeoutMs: 15_000,
          description: `every process npx local-cloud started to end after ${signal}`,
        });
      } finally {
        // A failed run leaves nothing behind for the next test file either.
        for (const pid of [npx.pid!, ...started]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
      }
    },
    90_000,
  );
});
