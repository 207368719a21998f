// `import * as express from 'express'; express()` works under TypeScript's CommonJS output without
// esModuleInterop, and crashes in a bundle (local-cloud's, and serverless-esbuild's on deploy): the namespace
// object is not a function. local-cloud refuses it at start, with the file, the line and the fix, instead of a
// TypeError at the first request.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from '../../src';
import { HandlerBuildError } from '../../src/lambda/errors';
import { serviceDefinition } from '../support/function-definition';

let servicePath: string;

beforeAll(() => {
  servicePath = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-namespace-'));
  mkdirSync(path.join(servicePath, 'src'));
  writeFileSync(
    path.join(servicePath, 'src', 'make-app.js'),
    'module.exports = function makeApp() {\n  return { greet: () => "hello" };\n};\n',
  );
  writeFileSync(
    path.join(servicePath, 'src', 'api.ts'),
    [
      "import * as makeApp from './make-app';",
      '',
      'export const handler = async () => makeApp().greet();',
      '',
    ].join('\n'),
  );
});

afterAll(() => {
  rmSync(servicePath, { recursive: true, force: true });
});

describe('a namespace import called as a function', () => {
  it('stops start with the file, the line and the fix', async () => {
    const starting = start({
      service: serviceDefinition({ service: 'namespace', servicePath, functions: { api: {} } }),
      inMemory: true,
    });

    await expect(starting).rejects.toBeInstanceOf(HandlerBuildError);
    await expect(starting).rejects.toThrow(
      /^Function "api": src\/api\.ts does not compile: src\/api\.ts:3:\d+: Calling "makeApp" will crash at run-time because it's an import namespace object, not a function.*\. Fix: import the module's default export instead \(`import express from 'express'`\), as a bundler needs: a namespace object \(`import \* as`\) cannot be called or constructed$/,
    );
  }, 30_000);
});
