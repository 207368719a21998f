import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageService, reproduction } from '../src/serverless-package';

const REPOSITORY = path.resolve(__dirname, '..', '..', '..');

/** A one-function service whose handler does not parse, with the workspace's packages (the esbuild plugin). */
function serviceWithSyntaxError(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'test-kit-service-'));
  fs.symlinkSync(path.join(REPOSITORY, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'broken-service', private: true }));
  fs.writeFileSync(
    path.join(dir, 'serverless.yml'),
    [
      'service: broken',
      "frameworkVersion: '3'",
      'plugins: [serverless-esbuild]',
      'provider: { name: aws, runtime: nodejs24.x, region: us-east-1 }',
      'functions:',
      '  hello: { handler: src/hello.handler }',
      '',
    ].join('\n'),
  );
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(
    path.join(dir, 'src', 'hello.ts'),
    "export const handler = async (event: { name?: string }) => {\n  if (event.name { return 'Hello'; }\n};\n",
  );
  return dir;
}

describe('packageService', () => {
  let service: string;
  afterEach(() => fs.rmSync(service, { recursive: true, force: true }));

  // Without the fix the framework prints the error and never exits: this test would wait out its timeout,
  // which is generous only because the framework alone can take a minute to start on a busy machine.
  it("rejects as soon as a handler fails to build, with esbuild's file:line:column and message", async () => {
    service = serviceWithSyntaxError();

    const packaging = packageService(service);

    await expect(packaging).rejects.toThrow(/src\/hello\.ts:2:17: ERROR: Expected "\)" but found "\{"/);
  }, 150_000);
});

describe('reproduction, the command a failed serverless package suggests', () => {
  it('works when pasted in the repository root, whatever folder Jest ran in, without the temporary folder', () => {
    const lab = path.join(REPOSITORY, 'labs', '01-hello-lambda');

    expect(reproduction(lab, ['package', '--package', '/tmp/serverless-package-x1', '--stage', 'prod'])).toBe(
      'cd labs/01-hello-lambda && npx serverless package --stage prod',
    );
    expect(reproduction(lab, ['print', '--format', 'json'])).toBe(
      'cd labs/01-hello-lambda && npx serverless print --format json',
    );
  });
});
