// What createLambdaService refuses before serving anything: one clear error per problem, naming the function,
// the file and the fix (the CLI prints it and exits with code 2).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createLambdaService,
  EnvironmentTooLargeError,
  FunctionConfigurationError,
  HandlerBuildError,
  HandlerExportNotFoundError,
  HandlerNotFoundError,
  MalformedHandlerError,
  ReservedEnvironmentVariableError,
} from '../../src/lambda/create-lambda-service';
import { RUNTIME_SERVICE, serviceDefinition, temporaryService } from './support/lambda-fixtures';

async function startupError(...args: Parameters<typeof serviceDefinition>): Promise<Error> {
  try {
    const lambda = await createLambdaService(serviceDefinition(...args));
    await lambda.stop();
  } catch (error) {
    return error as Error;
  }
  throw new Error('createLambdaService started although the service is broken');
}

describe('a handler file that does not exist', () => {
  it('is refused with the path it looked for and the fix', async () => {
    const error = await startupError(RUNTIME_SERVICE, { hello: { handler: 'src/handlers/hello.handler' } });

    expect(error).toBeInstanceOf(HandlerNotFoundError);
    expect(error).toBeInstanceOf(FunctionConfigurationError);
    expect(error.message).toBe(
      `Function "hello": handler "src/handlers/hello.handler" needs the file src/handlers/hello.ts (or .mts, ` +
        `.cts, .tsx, .js, .mjs, .cjs, .jsx) in ${RUNTIME_SERVICE}, and there is none. Create it, or fix ` +
        '`handler:` in serverless.yml (module path from the service folder, a dot, then the export).',
    );
  });
});

describe('an export the handler module lacks', () => {
  it('is refused with the export, the file and what it does export', async () => {
    const error = await startupError(RUNTIME_SERVICE, { echo: { handler: 'src/async-echo.main' } });

    expect(error).toBeInstanceOf(HandlerExportNotFoundError);
    expect(error.message).toBe(
      'Function "echo": src/async-echo.ts does not export "main" (it exports "handler"). Add ' +
        '`export const main = async (event) => { ... }`, or fix the name after the dot in `handler: src/async-echo.main`.',
    );
  });
});

describe('a handler string Lambda would refuse', () => {
  it('is refused when it has no export part', async () => {
    const error = await startupError(RUNTIME_SERVICE, { echo: { handler: 'src/async-echo' } });

    expect(error).toBeInstanceOf(MalformedHandlerError);
    expect(error.message).toContain('for example src/handlers/hello.handler');
  });

  it('is refused when it climbs out of the service folder', async () => {
    const error = await startupError(RUNTIME_SERVICE, { echo: { handler: '../other/src/echo.handler' } });

    expect(error).toBeInstanceOf(MalformedHandlerError);
  });
});

describe('a module that does not compile', () => {
  const broken = temporaryService();

  beforeAll(() => {
    mkdirSync(path.join(broken.servicePath, 'src'));
    writeFileSync(
      path.join(broken.servicePath, 'src/broken.ts'),
      'export const handler = async () => {\n  return 1 +;\n};\n',
    );
    writeFileSync(path.join(broken.servicePath, 'src/lost.ts'), "export { handler } from './nowhere';\n");
  });

  afterAll(() => broken.remove());

  it('is refused with the file, line and compiler message', async () => {
    const error = await startupError(broken.servicePath, { broken: { handler: 'src/broken.handler' } });

    expect(error).toBeInstanceOf(HandlerBuildError);
    expect(error.message).toMatch(
      /^Function "broken": src\/broken\.ts does not compile: src\/broken\.ts:2:\d+: .+\. Fix the code and start again\.$/,
    );
  });

  it('is refused when it imports a file that does not exist', async () => {
    const error = await startupError(broken.servicePath, { lost: { handler: 'src/lost.handler' } });

    expect(error).toBeInstanceOf(HandlerBuildError);
    expect(error.message).toContain('Could not resolve "./nowhere"');
  });
});

describe('the environment', () => {
  it('is refused over 4 KB of keys and values, naming the largest variable', async () => {
    const error = await startupError(RUNTIME_SERVICE, {
      echo: { handler: 'src/async-echo.handler', environment: { SMALL: 'x', CERTIFICATE: 'x'.repeat(4090) } },
    });

    expect(error).toBeInstanceOf(EnvironmentTooLargeError);
    expect(error.message).toBe(
      'Function "echo": its environment variables take 4107 bytes (keys and values), over Lambda\'s 4 KB limit ' +
        '(4096 bytes); the largest is CERTIFICATE (4101 bytes). Keep big values in SSM Parameter Store or Secrets ' +
        'Manager and read them at run time, or shorten them.',
    );
  });

  it('is accepted at exactly 4 KB', async () => {
    const lambda = await createLambdaService(
      serviceDefinition(RUNTIME_SERVICE, {
        echo: { handler: 'src/async-echo.handler', environment: { BIG: 'x'.repeat(4093) } },
      }),
    );

    await lambda.stop();
    expect(lambda.functions()).toHaveLength(1);
  });

  it('is refused when it sets a variable Lambda reserves', async () => {
    const error = await startupError(RUNTIME_SERVICE, {
      echo: { handler: 'src/async-echo.handler', environment: { AWS_REGION: 'us-east-1' } },
    });

    expect(error).toBeInstanceOf(ReservedEnvironmentVariableError);
    expect(error.message).toContain('AWS_REGION');
  });
});
