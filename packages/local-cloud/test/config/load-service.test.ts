import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadService, resolveService, type LoadedService } from '../../src/config/load-service';
import {
  fixFor,
  frameworkErrorMessage,
  frameworkWarnings,
  type ServerlessPrintOptions,
  type ServerlessPrintOutput,
} from '../../src/config/serverless-print';
import { ServiceConfigError } from '../../src/config/service-config-error';

const FIXTURE = path.join(__dirname, '../fixtures/config/variables-service');
const PRINTED = JSON.parse(
  readFileSync(path.join(__dirname, '../fixtures/config/printed/variables-service.dev.json'), 'utf8'),
) as Record<string, unknown>;
const GREETING_VARIABLE = 'LOCAL_CLOUD_FIXTURE_GREETING';

const temporaryFolders: string[] = [];

function copyOfFixture(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-config-'));
  temporaryFolders.push(folder);
  cpSync(FIXTURE, folder, { recursive: true });
  return folder;
}

/** Stands in for the framework: answers with a recorded print output and remembers every call. */
function countingRunner() {
  const calls: ServerlessPrintOptions[] = [];
  const runPrint = (options: ServerlessPrintOptions): Promise<ServerlessPrintOutput> => {
    calls.push(options);
    return Promise.resolve({ config: structuredClone(PRINTED), warnings: [] });
  };
  return { calls, runPrint };
}

function failingRunner(): Promise<ServerlessPrintOutput> {
  return Promise.reject(new Error('the framework ran although the cache was current'));
}

afterAll(() => {
  temporaryFolders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

describe('reading a service with the framework itself', () => {
  let servicePath: string;
  let first: LoadedService;
  let firstMs: number;

  beforeAll(async () => {
    servicePath = copyOfFixture();
    process.env[GREETING_VARIABLE] = 'hello from the environment';
    const started = performance.now();
    first = await resolveService(servicePath);
    firstMs = performance.now() - started;
  }, 60_000);

  afterAll(() => {
    delete process.env[GREETING_VARIABLE];
  });

  it('resolves ${file()}, ${self:}, ${opt:stage} and ${env:} as serverless print does', () => {
    const { functions, provider } = first.service;

    expect(first.fromCache).toBe(false);
    expect(provider).toMatchObject({ stage: 'dev', region: 'eu-west-1' });
    expect(functions.hello!.environment).toEqual({
      ITEMS_TABLE: 'items-dev',
      GREETING: 'hello from settings.yml',
    });
    expect(functions.echo!.environment.GREETING).toBe('hello from the environment');
    expect(functions.createItem).toMatchObject({ name: 'create-item-dev', timeout: 10, memorySize: 256 });
    expect(functions.createItem!.httpEvents[0]!.requestSchemas['application/json']).toMatchObject({
      required: ['name'],
    });
  });

  it('answers the next read from the cache, without running the framework, much faster', async () => {
    const started = performance.now();
    const second = await resolveService(servicePath, { runPrint: failingRunner });
    const secondMs = performance.now() - started;

    expect(second.fromCache).toBe(true);
    expect(second.service).toEqual(first.service);
    expect(secondMs).toBeLessThan(firstMs / 10);
  });

  it('gives the definition alone through loadService', async () => {
    expect(await loadService(servicePath, { runPrint: failingRunner })).toEqual(first.service);
  });

  it('keeps the cache inside the service, in a folder git ignores', () => {
    expect(existsSync(path.join(servicePath, '.local-cloud/cache/serverless-print.default-stage.json'))).toBe(
      true,
    );
    expect(readFileSync(path.join(servicePath, '.local-cloud/.gitignore'), 'utf8')).toBe('*\n');
  });
});

describe('the resolved configuration cache', () => {
  it.each([
    ['serverless.yml', 'serverless.yml'],
    ['a schema it loads with ${file()}', 'schemas/create-item.json'],
    ['a settings file it loads with ${file()}', 'settings.yml'],
  ])('is invalidated when %s changes', async (_name, file) => {
    const servicePath = copyOfFixture();
    const { calls, runPrint } = countingRunner();
    await resolveService(servicePath, { runPrint });
    await resolveService(servicePath, { runPrint });

    writeFileSync(path.join(servicePath, file), `${readFileSync(path.join(servicePath, file), 'utf8')}\n`);
    const afterChange = await resolveService(servicePath, { runPrint });

    expect(calls).toHaveLength(2);
    expect(afterChange.fromCache).toBe(false);
  });

  it('is invalidated when an environment variable the configuration reads changes', async () => {
    const servicePath = copyOfFixture();
    const { calls, runPrint } = countingRunner();
    await resolveService(servicePath, { runPrint });

    process.env[GREETING_VARIABLE] = 'changed';
    try {
      await resolveService(servicePath, { runPrint });
    } finally {
      delete process.env[GREETING_VARIABLE];
    }
    await resolveService(servicePath, { runPrint });

    expect(calls).toHaveLength(3);
  });

  it('keeps one entry per stage and passes the stage to the framework', async () => {
    const servicePath = copyOfFixture();
    const { calls, runPrint } = countingRunner();

    await resolveService(servicePath, { runPrint, stage: 'test' });
    await resolveService(servicePath, { runPrint });
    const again = await resolveService(servicePath, { runPrint, stage: 'test' });

    expect(calls.map((call) => call.stage)).toEqual(['test', undefined]);
    expect(again.fromCache).toBe(true);
    expect(again.service.provider.stage).toBe('test');
  });

  it('follows a ${file()} path that depends on the stage', async () => {
    const servicePath = copyOfFixture();
    writeFileSync(path.join(servicePath, 'config.dev.json'), '{"size": 1}');
    const configFile = path.join(servicePath, 'serverless.yml');
    writeFileSync(
      configFile,
      readFileSync(configFile, 'utf8').replace(
        'custom:\n',
        'custom:\n  stageSettings: ${file(./config.${sls:stage}.json)}\n',
      ),
    );
    const { calls, runPrint } = countingRunner();
    await resolveService(servicePath, { runPrint });

    writeFileSync(path.join(servicePath, 'config.dev.json'), '{"size": 2}');
    await resolveService(servicePath, { runPrint });

    expect(calls).toHaveLength(2);
  });

  it('stays valid in a copy of the service folder', async () => {
    const servicePath = copyOfFixture();
    const { runPrint } = countingRunner();
    await resolveService(servicePath, { runPrint });
    const copy = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-config-copy-'));
    temporaryFolders.push(copy);
    cpSync(servicePath, copy, { recursive: true });

    const fromCopy = await resolveService(copy, { runPrint: failingRunner });

    expect(fromCopy.fromCache).toBe(true);
    expect(fromCopy.service.servicePath).toBe(copy);
  });

  it('is bypassed with `cache: false`', async () => {
    const servicePath = copyOfFixture();
    const { calls, runPrint } = countingRunner();

    await resolveService(servicePath, { runPrint });
    await resolveService(servicePath, { runPrint, cache: false });

    expect(calls).toHaveLength(2);
  });
});

describe('a service folder local-cloud cannot read', () => {
  it('names a missing folder and the fix', async () => {
    const missing = path.join(os.tmpdir(), 'local-cloud-no-such-service');

    await expect(resolveService(missing)).rejects.toThrow(
      new ServiceConfigError(missing, 'no such folder', 'pass the folder that holds serverless.yml'),
    );
  });

  it('names the serverless.yml it looked for', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-empty-'));
    temporaryFolders.push(empty);

    await expect(resolveService(empty)).rejects.toThrow(
      `${path.join(empty, 'serverless.yml')}: not found. Fix:`,
    );
  });

  it('validates the cached configuration too, so an invalid value never hides behind the cache', async () => {
    const servicePath = copyOfFixture();
    const invalid = structuredClone(PRINTED) as { functions: { hello: Record<string, unknown> } };
    invalid.functions.hello.memorySize = 64;
    const runPrint = () => Promise.resolve({ config: invalid, warnings: [] });
    await expect(resolveService(servicePath, { runPrint })).rejects.toThrow(/memorySize is 64/);

    await expect(resolveService(servicePath, { runPrint: failingRunner })).rejects.toThrow(
      /memorySize is 64/,
    );
  });
});

describe("the framework's own messages", () => {
  it('keeps the error message without the code frame and the footer', () => {
    const stderr = [
      'Error:',
      'Cannot parse "serverless.yml": bad indentation of a mapping entry in "/s/serverless.yml" (8:4)',
      '',
      ' 5 | functions:',
      '--------^',
      'Environment: linux, node 20.20.2, framework 3.40.0',
    ].join('\n');

    expect(frameworkErrorMessage(stderr)).toBe(
      'Cannot parse "serverless.yml": bad indentation of a mapping entry in "/s/serverless.yml" (8:4)',
    );
  });

  it('finds no message in output without an Error: line (the framework writes some errors to stdout)', () => {
    expect(
      frameworkErrorMessage('Environment: linux, node 20.20.2\nDocs:        docs.serverless.com\n'),
    ).toBe('');
  });

  it('joins a multi-line variable resolution error into one line', () => {
    const stderr = [
      'Error:',
      'Cannot resolve serverless.yml: Variables resolution errored with:',
      '  - Cannot resolve variable at "provider.environment.A": Value not found at "env" source,',
      '  - Cannot resolve variable at "functions.hello.schema": Value not found at "file" source',
      '',
      'Environment: linux',
    ].join('\n');

    expect(frameworkErrorMessage(stderr)).toBe(
      'Cannot resolve serverless.yml: Variables resolution errored with: - Cannot resolve variable at "provider.environment.A": Value not found at "env" source, - Cannot resolve variable at "functions.hello.schema": Value not found at "file" source',
    );
  });

  it('reads the configuration validation warnings', () => {
    const stderr = [
      'Warning: Invalid configuration encountered',
      "  at 'provider.memorySize': must be integer",
      '',
      'Learn more about configuration validation here: http://slss.io/configuration-validation',
    ].join('\n');

    expect(frameworkWarnings(stderr)).toEqual(["serverless.yml at 'provider.memorySize': must be integer"]);
  });

  it('tells to install a plugin the framework cannot find, and to correct serverless.yml otherwise', () => {
    expect(
      fixFor(
        'Serverless plugin "serverless-esbuild" not found. Make sure it\'s installed and listed in the "plugins" section',
        process.cwd(),
      ),
    ).toBe('run `npm install` so the plugins serverless.yml lists are installed');
    expect(fixFor('Cannot parse "serverless.yml": bad indentation', process.cwd())).toBe(
      'correct serverless.yml, then check it with `npx serverless print`',
    );
  });

  it('gives the check as a command that works from the current folder, not only from the service', () => {
    const service = path.join(process.cwd(), 'labs', '01-hello-lambda');

    expect(fixFor('Cannot parse "serverless.yml": bad indentation', service)).toBe(
      `correct serverless.yml, then check it with \`cd ${path.join('labs', '01-hello-lambda')} && npx serverless print\``,
    );
  });
});
