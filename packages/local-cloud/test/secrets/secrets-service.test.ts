import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { ServiceConfigError } from '../../src/config/service-config-error';
import { createSecretsService, type SecretsService } from '../../src/services/secrets/secrets-service';
import {
  ACCOUNT,
  clientConfig,
  CREDENTIALS,
  REGION,
  serviceWith,
  temporaryDirectory,
} from '../sns/messaging-harness';

const DB_PASSWORD = 'correct-horse-battery-staple';
const SIGNING_KEY = 'very-secret-signing-key';
const API_KEY = 'file-wins-over-cloudformation';

const directory = temporaryDirectory('secrets-tests-');
const secretsFile = path.join(directory.path, '.local-cloud', 'secrets.json');
const logs: string[] = [];

function writeSecrets(content: object | string): void {
  mkdirSync(path.dirname(secretsFile), { recursive: true });
  writeFileSync(secretsFile, typeof content === 'string' ? content : JSON.stringify(content));
}

const FILE = {
  secrets: {
    'secrets-tests/db': { username: 'admin', password: DB_PASSWORD },
    'secrets-tests/api-key': API_KEY,
  },
  parameters: {
    '/secrets-tests/table': 'images',
    '/secrets-tests/signing-key': { value: SIGNING_KEY, type: 'SecureString' },
    '/secrets-tests/origins': {
      value: ['http://localhost:5173', 'http://127.0.0.1:5173'],
      type: 'StringList',
    },
    '/secrets-tests/nested/deep': 'deep',
  },
};

const service = serviceWith({
  service: 'secrets-tests',
  servicePath: directory.path,
  resources: {
    ApiKey: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: { Name: 'secrets-tests/api-key', SecretString: 'from-cloudformation' },
    },
    RegionSecret: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: {
        Name: 'secrets-tests/region',
        SecretString: { 'Fn::Sub': '{"region":"${AWS::Region}"}' },
      },
    },
    GeneratedSecret: {
      Type: 'AWS::SecretsManager::Secret',
      Properties: {
        Name: 'secrets-tests/generated',
        GenerateSecretString: {
          SecretStringTemplate: '{"username":"app"}',
          GenerateStringKey: 'password',
          PasswordLength: 40,
          ExcludePunctuation: true,
        },
      },
    },
    EmptySecret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'secrets-tests/empty' } },
    BucketParameter: {
      Type: 'AWS::SSM::Parameter',
      Properties: {
        Name: '/secrets-tests/bucket',
        Type: 'String',
        Value: { 'Fn::Join': ['-', ['images', { Ref: 'AWS::AccountId' }]] },
      },
    },
  },
});

let secrets: SecretsService;
let secretsManager: SecretsManagerClient;
let ssm: SSMClient;

beforeAll(async () => {
  writeSecrets(FILE);
  secrets = await createSecretsService({
    service,
    credentials: CREDENTIALS,
    region: REGION,
    log: (line) => logs.push(line),
  });
  secretsManager = new SecretsManagerClient(clientConfig(secrets.url));
  ssm = new SSMClient(clientConfig(secrets.url));
});

afterAll(async () => {
  secretsManager.destroy();
  ssm.destroy();
  await secrets.stop();
  directory.remove();
});

const secretString = async (SecretId: string) =>
  (await secretsManager.send(new GetSecretValueCommand({ SecretId }))).SecretString;

describe('Secrets Manager GetSecretValue', () => {
  it('returns a secret of the local file by name, an object as JSON text, in the AWSCURRENT version', async () => {
    const result = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'secrets-tests/db' }));

    expect(JSON.parse(result.SecretString ?? '')).toEqual({ username: 'admin', password: DB_PASSWORD });
    expect(result).toMatchObject({
      Name: 'secrets-tests/db',
      ARN: expect.stringMatching(
        new RegExp(`^arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:secrets-tests/db-[A-Za-z0-9]{6}$`),
      ) as unknown,
      VersionId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: expect.any(Date) as unknown,
    });
  });

  it('finds a secret by its ARN and by its ARN without the random suffix', async () => {
    const { ARN } = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'secrets-tests/db' }));

    expect(await secretString(ARN ?? '')).toContain(DB_PASSWORD);
    expect(await secretString((ARN ?? '').slice(0, -7))).toContain(DB_PASSWORD);
  });

  it('answers ResourceNotFoundException for an unknown secret, and for a stage other than AWSCURRENT', async () => {
    await expect(secretString('secrets-tests/missing')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      secretsManager.send(
        new GetSecretValueCommand({ SecretId: 'secrets-tests/db', VersionStage: 'AWSPREVIOUS' }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringContaining('AWSPREVIOUS') as unknown,
    });
  });

  it('serves CloudFormation secrets, the local file winning over a declared value', async () => {
    expect(await secretString('secrets-tests/api-key')).toBe(API_KEY);
    expect(JSON.parse((await secretString('secrets-tests/region')) ?? '')).toEqual({ region: REGION });
    await expect(secretString('secrets-tests/empty')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
  });

  it('generates a GenerateSecretString value once and keeps it across restarts (not in memory)', async () => {
    const generated = JSON.parse((await secretString('secrets-tests/generated')) ?? '') as Record<
      string,
      string
    >;
    const restarted = await createSecretsService({ service, credentials: CREDENTIALS, region: REGION });
    const inMemory = await createSecretsService({
      service,
      credentials: CREDENTIALS,
      region: REGION,
      inMemory: true,
    });
    const read = async (url: string) => {
      const client = new SecretsManagerClient(clientConfig(url));
      try {
        return JSON.parse(
          (await client.send(new GetSecretValueCommand({ SecretId: 'secrets-tests/generated' })))
            .SecretString ?? '',
        ) as Record<string, string>;
      } finally {
        client.destroy();
      }
    };
    try {
      expect(generated).toEqual({
        username: 'app',
        password: expect.stringMatching(/^[A-Za-z0-9]{40}$/) as unknown,
      });
      expect(await read(restarted.url)).toEqual(generated);
      expect((await read(inMemory.url)).password).not.toBe(generated.password);
    } finally {
      await Promise.all([restarted.stop(), inMemory.stop()]);
    }
  });

  it('answers an operation it does not implement with an error naming it', async () => {
    await expect(
      secretsManager.send(new CreateSecretCommand({ Name: 'x', SecretString: 'y' })),
    ).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('does not implement CreateSecret') as unknown,
    });
  });
});

describe('Secrets Manager ListSecrets and DescribeSecret', () => {
  it('lists every secret by name, in pages, without any value', async () => {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await secretsManager.send(new ListSecretsCommand({ MaxResults: 2, NextToken }));
      expect(page.SecretList!.length).toBeLessThanOrEqual(2);
      names.push(...page.SecretList!.map((secret) => secret.Name!));
      expect(JSON.stringify(page)).not.toContain(DB_PASSWORD);
      NextToken = page.NextToken;
    } while (NextToken);

    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining(['secrets-tests/api-key', 'secrets-tests/db', 'secrets-tests/empty']),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it('filters by name prefix, and refuses a token it did not give or a page size AWS refuses', async () => {
    const page = await secretsManager.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['secrets-tests/d'] }] }),
    );
    expect(page.SecretList!.map((secret) => secret.Name)).toEqual(['secrets-tests/db']);

    await expect(
      secretsManager.send(new ListSecretsCommand({ NextToken: 'not-a-token' })),
    ).rejects.toMatchObject({
      name: 'InvalidNextTokenException',
    });
    await expect(secretsManager.send(new ListSecretsCommand({ MaxResults: 101 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('describes a secret with the version of its current value, and not one without a value', async () => {
    const value = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'secrets-tests/db' }));
    const described = await secretsManager.send(new DescribeSecretCommand({ SecretId: 'secrets-tests/db' }));

    expect(described).toMatchObject({
      Name: 'secrets-tests/db',
      ARN: value.ARN,
      VersionIdsToStages: { [value.VersionId!]: ['AWSCURRENT'] },
    });
    expect(
      (await secretsManager.send(new DescribeSecretCommand({ SecretId: 'secrets-tests/empty' })))
        .VersionIdsToStages,
    ).toEqual({});
    await expect(
      secretsManager.send(new DescribeSecretCommand({ SecretId: 'secrets-tests/missing' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('SSM GetParameter, GetParameters, GetParametersByPath', () => {
  it('returns a String parameter with its metadata, by name or by ARN', async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/secrets-tests/table' }));
    const byArn = await ssm.send(new GetParameterCommand({ Name: Parameter?.ARN }));

    expect(Parameter).toEqual({
      Name: '/secrets-tests/table',
      Type: 'String',
      Value: 'images',
      Version: 1,
      LastModifiedDate: expect.any(Date) as unknown,
      ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/secrets-tests/table`,
      DataType: 'text',
    });
    expect(byArn.Parameter?.Value).toBe('images');
  });

  it('decrypts a SecureString only WithDecryption', async () => {
    const decrypted = await ssm.send(
      new GetParameterCommand({ Name: '/secrets-tests/signing-key', WithDecryption: true }),
    );
    const encrypted = await ssm.send(new GetParameterCommand({ Name: '/secrets-tests/signing-key' }));

    expect(decrypted.Parameter).toMatchObject({ Type: 'SecureString', Value: SIGNING_KEY });
    expect(encrypted.Parameter?.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(encrypted.Parameter?.Value).not.toContain(SIGNING_KEY);
  });

  it('answers ParameterNotFound for an unknown parameter', async () => {
    await expect(ssm.send(new GetParameterCommand({ Name: '/secrets-tests/missing' }))).rejects.toMatchObject(
      {
        name: 'ParameterNotFound',
        $metadata: { httpStatusCode: 400 },
      },
    );
  });

  it('returns the parameters it has and lists the others as InvalidParameters, CloudFormation ones included', async () => {
    const result = await ssm.send(
      new GetParametersCommand({
        Names: ['/secrets-tests/origins', '/secrets-tests/bucket', '/secrets-tests/nope'],
      }),
    );

    expect(result.Parameters?.map(({ Name, Type, Value }) => ({ Name, Type, Value }))).toEqual([
      {
        Name: '/secrets-tests/origins',
        Type: 'StringList',
        Value: 'http://localhost:5173,http://127.0.0.1:5173',
      },
      { Name: '/secrets-tests/bucket', Type: 'String', Value: `images-${ACCOUNT}` },
    ]);
    expect(result.InvalidParameters).toEqual(['/secrets-tests/nope']);
  });

  it('lists a path one level deep, or recursively', async () => {
    const names = async (Recursive: boolean) =>
      (await ssm.send(new GetParametersByPathCommand({ Path: '/secrets-tests', Recursive }))).Parameters?.map(
        (parameter) => parameter.Name,
      );

    expect(await names(false)).toEqual([
      '/secrets-tests/bucket',
      '/secrets-tests/origins',
      '/secrets-tests/signing-key',
      '/secrets-tests/table',
    ]);
    expect(await names(true)).toContain('/secrets-tests/nested/deep');
  });

  it('answers an operation it does not implement with an error naming it', async () => {
    await expect(ssm.send(new PutParameterCommand({ Name: '/x', Value: 'y' }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      message: expect.stringContaining('does not implement PutParameter') as unknown,
    });
  });
});

describe('the local secrets file', () => {
  it('is read again when it changes; a broken edit is reported in one line without values, the old values kept', async () => {
    writeSecrets({ ...FILE, parameters: { ...FILE.parameters, '/secrets-tests/table': 'thumbnails' } });
    bumpModifiedTime();
    const afterEdit = await ssm.send(new GetParameterCommand({ Name: '/secrets-tests/table' }));
    writeSecrets(`{"secrets": {"secrets-tests/db": "${DB_PASSWORD}",`);
    bumpModifiedTime();
    const afterBreak = await ssm.send(new GetParameterCommand({ Name: '/secrets-tests/table' }));

    expect(afterEdit.Parameter?.Value).toBe('thumbnails');
    expect(afterBreak.Parameter?.Value).toBe('thumbnails');
    expect(logs).toEqual([
      expect.stringMatching(new RegExp(`^${escape(secretsFile)}: is not valid JSON.*Fix: `)),
    ]);
    writeSecrets(FILE);
    bumpModifiedTime();
  });

  it('refuses to start on a malformed file, naming the file and the fix but no value', async () => {
    const broken = path.join(directory.path, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        secrets: { a: DB_PASSWORD },
        parameters: { '/p': { value: SIGNING_KEY, type: 'Secure' } },
      }),
    );

    const error = await createSecretsService({
      service,
      credentials: CREDENTIALS,
      region: REGION,
      secretsFile: broken,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ServiceConfigError);
    expect((error as Error).message).toBe(
      `${broken}: parameters."/p".type must be String, StringList or SecureString. Fix: give a string, or { "value": "...", "type": "String" | "StringList" | "SecureString" }`,
    );
  });

  it('keeps itself out of git and never logs a value', () => {
    expect(readFileSync(path.join(path.dirname(secretsFile), '.gitignore'), 'utf8')).toBe('*\n');
    const everything = logs.join('\n');
    for (const value of [DB_PASSWORD, SIGNING_KEY, API_KEY]) expect(everything).not.toContain(value);
  });
});

describe('SigV4', () => {
  it('refuses an unknown key and a wrong secret as the JSON services do (403)', async () => {
    const unknownKey = new SSMClient(
      clientConfig(secrets.url, { ...CREDENTIALS, accessKeyId: 'AKIAUNKNOWN' }),
    );
    const wrongSecret = new SecretsManagerClient(
      clientConfig(secrets.url, { ...CREDENTIALS, secretAccessKey: 'wrong' }),
    );
    try {
      await expect(
        unknownKey.send(new GetParameterCommand({ Name: '/secrets-tests/table' })),
      ).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        wrongSecret.send(new GetSecretValueCommand({ SecretId: 'secrets-tests/db' })),
      ).rejects.toMatchObject({
        name: 'InvalidSignatureException',
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      unknownKey.destroy();
      wrongSecret.destroy();
    }
  });
});

/** mtime resolution can hide two writes within the same millisecond; move it forward explicitly. */
let clock = Date.now() / 1000;
function bumpModifiedTime(): void {
  clock += 5;
  utimesSync(secretsFile, clock, clock);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
