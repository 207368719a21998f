// Variables that read AWS while serverless.yml is resolved read local-cloud instead, as a deployed service
// reads AWS: ${ssm:} from local-cloud's Parameter Store (.local-cloud/secrets.json, or a declared
// AWS::SSM::Parameter), ${aws:accountId} and ${aws:region} from local-cloud; ${cf:} fails at once, naming
// the fix. Offline, the framework itself would try AWS and fail on credentials.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ACCOUNT_ID } from '../../src/common/account';
import { resolveService } from '../../src/config/load-service';
import { ServiceConfigError } from '../../src/config/service-config-error';

jest.setTimeout(60_000);

let servicePath: string;

function writeService(environment: Record<string, string>): void {
  writeFileSync(
    path.join(servicePath, 'serverless.yml'),
    [
      'service: local-variables',
      "frameworkVersion: '3'",
      'provider:',
      '  name: aws',
      '  runtime: nodejs24.x',
      '  region: eu-west-1',
      'functions:',
      '  hello:',
      '    handler: handler.hello',
      '    environment:',
      ...Object.entries(environment).map(([name, value]) => `      ${name}: ${value}`),
      'resources:',
      '  Resources:',
      '    Declared:',
      '      Type: AWS::SSM::Parameter',
      '      Properties:',
      '        Name: /app/declared',
      '        Type: String',
      '        Value: from-the-template',
      '',
    ].join('\n'),
  );
}

function writeParameters(parameters: Record<string, unknown>): void {
  mkdirSync(path.join(servicePath, '.local-cloud'), { recursive: true });
  writeFileSync(path.join(servicePath, '.local-cloud', 'secrets.json'), JSON.stringify({ parameters }));
}

beforeEach(() => {
  servicePath = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-variables-'));
});

afterEach(() => {
  rmSync(servicePath, { recursive: true, force: true });
});

describe('variables that read AWS, resolved by local-cloud', () => {
  it('reads ${ssm:} from the secrets file and the declared parameters, and ${aws:} from local-cloud', async () => {
    writeService({
      TABLE: '${ssm:/app/dev/table}',
      ORIGINS: '${ssm(raw):/app/dev/origins}',
      DB_USER: '${ssm:/app/dev/db}',
      DECLARED: '${ssm:/app/declared}',
      ACCOUNT: '${aws:accountId}',
      REGION: '${aws:region}',
    });
    writeParameters({
      '/app/dev/table': 'images',
      '/app/dev/origins': { value: ['http://localhost:5173', 'http://127.0.0.1:8080'], type: 'StringList' },
      '/app/dev/db': { value: 'plain-secure-text', type: 'SecureString' },
    });

    const { service } = await resolveService(servicePath, { cache: false });

    expect(service.functions.hello!.environment).toEqual({
      TABLE: 'images',
      ORIGINS: 'http://localhost:5173,http://127.0.0.1:8080',
      DB_USER: 'plain-secure-text',
      DECLARED: 'from-the-template',
      ACCOUNT: ACCOUNT_ID,
      REGION: 'eu-west-1',
    });
  });

  it('resolves again when a parameter changes in the secrets file, though serverless.yml did not', async () => {
    writeService({ TABLE: '${ssm:/app/dev/table}' });
    writeParameters({ '/app/dev/table': 'images' });
    const first = await resolveService(servicePath);
    writeParameters({ '/app/dev/table': 'images-v2' });

    const second = await resolveService(servicePath);

    expect(first.service.functions.hello!.environment.TABLE).toBe('images');
    expect(second.service.functions.hello!.environment.TABLE).toBe('images-v2');
  });

  it('names the file to add a missing parameter to', async () => {
    writeService({ MISSING: '${ssm:/app/dev/missing}' });

    const resolving = resolveService(servicePath, { cache: false });

    await expect(resolving).rejects.toBeInstanceOf(ServiceConfigError);
    await expect(resolving).rejects.toThrow(
      /Value not found at "ssm" source\. Fix: locally, \$\{ssm:\.\.\.\} reads local-cloud's Parameter Store: add the parameter to .*\.local-cloud\/secrets\.json under "parameters"/,
    );
  });

  it('refuses ${cf:} at once, with the fix, instead of calling CloudFormation', async () => {
    writeService({ OUTPUT: '${cf:other-stack-dev.TableName}' });

    const started = Date.now();
    const resolving = resolveService(servicePath, { cache: false });

    await expect(resolving).rejects.toThrow(
      "${cf:other-stack-dev.TableName} reads another CloudFormation stack's outputs, which local-cloud does not have",
    );
    // The framework's own start takes a few seconds; a call to AWS would wait out its timeouts and retries.
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
