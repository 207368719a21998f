// A `"type": "module"` project (what `npm init` with ESM, and the refreshed course's projects, have): its
// handlers, ES modules in .js files, run as on Lambda; and what the bundler warns of reaches the log with the
// file and line, instead of surfacing as a puzzling failure at run time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { start, type LocalCloud } from '../../src';
import { serviceDefinition } from '../support/function-definition';

let servicePath: string;
let cloud: LocalCloud;
const log: string[] = [];

beforeAll(async () => {
  servicePath = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-esm-'));
  mkdirSync(path.join(servicePath, 'src'));
  writeFileSync(
    path.join(servicePath, 'package.json'),
    JSON.stringify({ name: 'esm-project', type: 'module' }),
  );
  writeFileSync(
    path.join(servicePath, 'src', 'greeting.js'),
    'export const greeting = (name) => `hello ${name}`;\n',
  );
  writeFileSync(
    path.join(servicePath, 'src', 'hello.js'),
    "import { greeting } from './greeting.js';\n\nexport const handler = async (event) => ({ message: greeting(event.name) });\n",
  );
  // Top-level await, which only an ES module has, as in a handler that loads its configuration at init.
  writeFileSync(
    path.join(servicePath, 'src', 'configured.mjs'),
    "const config = await Promise.resolve({ greeting: 'welcome' });\n\nexport const handler = async () => config.greeting;\n",
  );
  writeFileSync(
    path.join(servicePath, 'src', 'legacy.cjs'),
    "exports.handler = async () => 'from CommonJS';\n",
  );
  writeFileSync(
    path.join(servicePath, 'src', 'where.js'),
    'export const handler = async () => ({ url: typeof import.meta.url });\n',
  );
  cloud = await start({
    service: serviceDefinition({
      service: 'esm',
      servicePath,
      functions: { hello: {}, where: {}, configured: {}, legacy: {} },
    }),
    inMemory: true,
    log: (line) => log.push(line),
  });
}, 60_000);

afterAll(async () => {
  await cloud?.stop();
  rmSync(servicePath, { recursive: true, force: true });
});

async function invoke(name: string, event: object): Promise<unknown> {
  const lambda = new LambdaClient({
    endpoint: cloud.lambdaEndpoint,
    region: cloud.region,
    credentials: cloud.credentials,
  });
  try {
    const { Payload, FunctionError } = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(event) }),
    );
    expect(FunctionError).toBeUndefined();
    return JSON.parse(Buffer.from(Payload!).toString()) as unknown;
  } finally {
    lambda.destroy();
  }
}

describe('a "type": "module" project', () => {
  it('runs its ES module handlers', async () => {
    expect(await invoke('esm-dev-hello', { name: 'Ada' })).toEqual({ message: 'hello Ada' });
  });

  it('runs an .mjs handler that awaits at its top level, and a .cjs one', async () => {
    expect(await invoke('esm-dev-configured', {})).toBe('welcome');
    expect(await invoke('esm-dev-legacy', {})).toBe('from CommonJS');
  });

  it('logs what the bundler warns of, with the file and line', async () => {
    expect(log.filter((line) => line.startsWith('warning: bundling'))).toEqual([
      expect.stringMatching(
        /^warning: bundling src\/where\.js:1:\d+: "import\.meta" is not available/,
      ) as unknown,
    ]);
    // The warning was right: in the CommonJS bundle local-cloud (and serverless-esbuild) make, it is empty.
    expect(await invoke('esm-dev-where', {})).toEqual({ url: 'undefined' });
  });
});
