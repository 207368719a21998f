// A plugin that fails as the framework loads it (written for another Node.js or framework version): start
// names the plugin's error and where it happened, and what to do, instead of a framework stack and "correct
// serverless.yml".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveService } from '../../src/config/load-service';
import { ServiceConfigError } from '../../src/config/service-config-error';

let servicePath: string;

beforeAll(() => {
  servicePath = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-plugin-'));
  writeFileSync(
    path.join(servicePath, 'serverless.yml'),
    [
      'service: crashing-plugin',
      "frameworkVersion: '3'",
      'provider:',
      '  name: aws',
      '  runtime: nodejs24.x',
      'plugins:',
      '  - ./old-plugin',
      'functions:',
      '  hello:',
      '    handler: handler.hello',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(servicePath, 'old-plugin.js'),
    'const settings = undefined;\nmodule.exports = class OldPlugin {\n  constructor() {\n    settings.read();\n  }\n};\n',
  );
});

afterAll(() => {
  rmSync(servicePath, { recursive: true, force: true });
});

describe('a plugin that fails as the framework loads it', () => {
  it('is named, with its error, its file and line, and the fix', async () => {
    const resolving = resolveService(servicePath, { cache: false });
    const plugin = path.relative(process.cwd(), path.join(servicePath, 'old-plugin.js'));

    await expect(resolving).rejects.toBeInstanceOf(ServiceConfigError);
    await expect(resolving).rejects.toThrow(
      `\`serverless print\` rejected it: TypeError: Cannot read properties of undefined (reading 'read') at new OldPlugin (${path.join(servicePath, 'old-plugin.js')}:4:14). Fix: a plugin failed as the framework loaded it (${plugin}, line 4): update it to a version made for Serverless Framework v3 and Node.js ${process.versions.node.split('.')[0]}, or remove it from \`plugins\` in serverless.yml to start without it`,
    );
  }, 60_000);
});
