// Hot reload: a change to a source file recycles only the sandboxes of the functions built from it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createLambdaService,
  type LocalLambdaService,
  type ReloadEvent,
} from '../../src/lambda/create-lambda-service';
import {
  errorOf,
  HOT_RELOAD_SERVICE,
  payloadOf,
  serviceDefinition,
  temporaryService,
} from './support/lambda-fixtures';

jest.setTimeout(10_000);

let copy: ReturnType<typeof temporaryService>;
let lambda: LocalLambdaService;

function nextReload(): Promise<ReloadEvent> {
  return new Promise((resolve) => {
    const unsubscribe = lambda.onReload((event) => {
      unsubscribe();
      resolve(event);
    });
  });
}

function write(file: string, text: string): void {
  writeFileSync(path.join(copy.servicePath, file), text);
}

beforeEach(async () => {
  copy = temporaryService(HOT_RELOAD_SERVICE);
  lambda = await createLambdaService(
    serviceDefinition(copy.servicePath, {
      greet: { handler: 'src/greet.handler' },
      sandboxId: { handler: 'src/sandbox-id.handler' },
    }),
    { watch: true },
  );
});

afterEach(async () => {
  await lambda.stop();
  copy.remove();
});

it('runs the new code, cold, after a file the function imports changes, and leaves other functions warm', async () => {
  const before = await lambda.invoke({ functionName: 'greet', payload: '{}' });
  const otherBefore = await lambda.invoke({ functionName: 'sandboxId', payload: '{}' });
  const reloaded = nextReload();

  write('src/greeting.ts', 'export function greeting(name: string): string {\n  return `Hi, ${name}.`;\n}\n');
  const event = await reloaded;
  const after = await lambda.invoke({ functionName: 'greet', payload: '{}' });
  const otherAfter = await lambda.invoke({ functionName: 'sandboxId', payload: '{}' });

  expect(payloadOf(before)).toBe('Hello, Ada!');
  expect(event).toMatchObject({
    functionKeys: ['greet'],
    changedFiles: [path.join(copy.servicePath, 'src/greeting.ts')],
    failures: [],
  });
  expect(payloadOf(after)).toBe('Hi, Ada.');
  expect(after.report.coldStart).toBe(true);
  expect(otherAfter.report.coldStart).toBe(false);
  expect(payloadOf(otherAfter)).toBe(payloadOf(otherBefore));
});

it('watches files a rebuilt module newly imports', async () => {
  write('src/punctuation.ts', "export const mark = '!';\n");
  const firstReload = nextReload();
  write(
    'src/greet.ts',
    "import { greeting } from './greeting';\nimport { mark } from './punctuation';\n\n" +
      "export async function handler(): Promise<string> {\n  await Promise.resolve();\n  return greeting('Ada') + mark;\n}\n",
  );
  await firstReload;
  const secondReload = nextReload();

  write('src/punctuation.ts', "export const mark = '?';\n");
  await secondReload;
  const result = await lambda.invoke({ functionName: 'greet', payload: '{}' });

  expect(payloadOf(result)).toBe('Hello, Ada!?');
});

it('fails invocations with Runtime.UserCodeSyntaxError while the code does not compile, and recovers', async () => {
  const broken = nextReload();
  write('src/greeting.ts', 'export function greeting(name: string): string {\n  return name +;\n}\n');
  const brokenEvent = await broken;
  const failing = await lambda.invoke({ functionName: 'greet', payload: '{}' });
  const fixed = nextReload();
  write(
    'src/greeting.ts',
    'export function greeting(name: string): string {\n  return `Bye, ${name}.`;\n}\n',
  );
  await fixed;
  const working = await lambda.invoke({ functionName: 'greet', payload: '{}' });

  expect(brokenEvent.failures).toEqual([
    { functionKey: 'greet', detail: expect.stringContaining('src/greeting.ts:2:') as string },
  ]);
  expect(errorOf(failing)).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError' });
  expect(payloadOf(working)).toBe('Bye, Ada.');
});

it('lets an invocation in flight finish on its sandbox before recycling it', async () => {
  const warm = await lambda.invoke({ functionName: 'sandboxId', payload: '{}' });
  const inFlight = lambda.invoke({ functionName: 'sandboxId', payload: '{"delayMs":300}' });
  const reloaded = nextReload();

  write('src/sandbox-id.ts', "export async function handler(): Promise<string> {\n  return 'new code';\n}\n");
  await reloaded;
  const finished = await inFlight;
  const next = await lambda.invoke({ functionName: 'sandboxId', payload: '{}' });

  expect(finished.functionError).toBeUndefined();
  expect(payloadOf(finished)).toBe(payloadOf(warm));
  expect(payloadOf(next)).toBe('new code');
  expect(next.report.coldStart).toBe(true);
  expect(lambda.sandboxCount('sandboxId')).toBe(1);
});
