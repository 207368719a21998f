// Secrets Manager GetSecretValue and SSM Parameter Store GetParameter / GetParameters /
// GetParametersByPath on one handler (on the AWS endpoint, or a port of its own), for
// `@aws-sdk/client-secrets-manager` and `@aws-sdk/client-ssm` pointed at it. Both are JSON 1.1 protocols: a POST
// whose `X-Amz-Target` names the operation (`secretsmanager.GetSecretValue`, `AmazonSSM.GetParameter`),
// which is how requests are routed and which signing scope they must carry. Values come from
// `.local-cloud/secrets.json` and the service's CloudFormation; none is ever logged.
import { accessDeniedMessage, deniedCall, type AuthorizeOperation } from '../../iam/denial-messages';
import { secretsAuthorizationRequests, ssmAuthorizationRequests } from '../../iam/requests';
import { secretArnSuffix } from './secret-arn-suffix';
import { serviceDataDir, type AwsServiceOptions } from '../../common/service-options';
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { localSecretsFile } from '../../config/local-files';
import { internalErrorMessage, logInternalError } from '../../http/internal-errors';
import { serviceListener, urlHost } from '../../http-listener';
import { createSignatureCheck } from '../../protocol/signature-errors';
import { ACCOUNT_ID } from '../../common/account';
import { declaredSecrets } from './declared-secrets';
import { SecretsCatalog, type ParameterRecord, type SecretRecord } from './secrets-catalog';
import { readCappedBody } from '../../protocol/read-body';

export interface SecretsServiceOptions extends AwsServiceOptions {
  /** Default `<service>/.local-cloud/secrets.json`. */
  secretsFile?: string;
}

export interface SecretsService {
  /** `http://127.0.0.1:<port>`: the AWS endpoint, for Secrets Manager and SSM alike. */
  url: string;
  secretsFile: string;
  warnings: string[];
  stop(): Promise<void>;
}

class JsonApiError extends Error {
  constructor(
    readonly type: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 1024 * 1024;
const SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret.";

export async function createSecretsService(options: SecretsServiceOptions): Promise<SecretsService> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const accountId = options.accountId ?? ACCOUNT_ID;
  const secretsFile = options.secretsFile ?? localSecretsFile(options.service.servicePath);
  keepOutOfGit(path.dirname(secretsFile), secretsFile);
  const declared = declaredSecrets(options.service, {
    region: options.region,
    accountId,
    dataDir: serviceDataDir(options, 'secrets'),
  });
  const log = options.log ?? (() => {});
  declared.warnings.forEach((warning) => log(`warning: secrets: ${warning}`));
  const catalog = new SecretsCatalog(declared, secretsFile, log, now);
  const api = new SecretsApi(catalog, { region: options.region, accountId, secretsFile });

  const signing = { credentials: options.credentials, region: options.region, now };
  const verifiers = {
    secretsmanager: createSignatureCheck({ ...signing, service: 'secretsmanager' }),
    ssm: createSignatureCheck({ ...signing, service: 'ssm' }),
  };
  const account = { region: options.region, accountId };
  const authorize: AuthorizeOperation = (req, operation, input) =>
    deniedCall(options.authorizer, req, () =>
      String(req.headers['x-amz-target'] ?? '').startsWith('AmazonSSM.')
        ? ssmAuthorizationRequests(operation, input, account)
        : secretsAuthorizationRequests(operation, input, account),
    );
  const listener = await serviceListener(options, host, 'Secrets Manager and SSM');
  listener.attach((req, res) => {
    void handleRequest(req, res, api, verifiers, log, authorize);
  });
  return {
    url: `http://${urlHost(host)}:${listener.port}`,
    secretsFile,
    warnings: declared.warnings,
    stop: () => listener.close(),
  };
}

async function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  api: SecretsApi,
  verifiers: Record<'secretsmanager' | 'ssm', ReturnType<typeof createSignatureCheck>>,
  log: (line: string) => void,
  authorize: AuthorizeOperation,
): Promise<void> {
  const requestId = randomUUID();
  const send = (status: number, body: unknown, errorType?: string) => {
    const text = JSON.stringify(body);
    res
      .writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': requestId,
        'content-length': Buffer.byteLength(text),
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      })
      .end(text);
  };
  try {
    const body = await readCappedBody(
      req,
      MAX_BODY_BYTES,
      () => new JsonApiError('ValidationException', 400, 'The request body is too large.'),
    );
    const target = String(req.headers['x-amz-target'] ?? '');
    const [prefix = '', operation = ''] = target.split('.');
    const service =
      prefix === 'secretsmanager' ? 'secretsmanager' : prefix === 'AmazonSSM' ? 'ssm' : undefined;
    if (!service || req.method !== 'POST') {
      throw new JsonApiError(
        'UnknownOperationException',
        400,
        `local-cloud's Secrets Manager and SSM endpoint serves POST requests with X-Amz-Target secretsmanager.* or AmazonSSM.*, not ${req.method ?? ''} ${target || '(no X-Amz-Target)'}.`,
      );
    }
    const refused = await verifiers[service]({
      method: req.method,
      url: req.url ?? '/',
      headers: req.headers,
      body,
    });
    if (refused) throw new JsonApiError(refused.code, refused.status, refused.message);
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      input = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new JsonApiError('SerializationException', 400, 'The request body is not valid JSON.');
    }
    const denial = authorize(req, operation, input);
    if (denial) throw new JsonApiError('AccessDeniedException', 400, accessDeniedMessage(denial));
    send(
      200,
      service === 'secretsmanager' ? api.secretsManager(operation, input) : api.ssm(operation, input),
    );
  } catch (error) {
    if (error instanceof JsonApiError) {
      send(error.statusCode, { __type: error.type, message: error.message }, error.type);
      return;
    }
    logInternalError(log, req, error);
    const message = internalErrorMessage('Secrets Manager and SSM endpoint');
    send(500, { __type: 'InternalServiceError', message }, 'InternalServiceError');
  }
}

class SecretsApi {
  /** SecureString values returned without decryption are this key's ciphertext: opaque, never the value. */
  private readonly encryptionKey = randomBytes(32);

  constructor(
    private readonly catalog: SecretsCatalog,
    private readonly account: { region: string; accountId: string; secretsFile: string },
  ) {}

  secretsManager(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'GetSecretValue':
        return this.secretValue(input);
      case 'ListSecrets':
        return this.listSecrets(input);
      case 'DescribeSecret': {
        const secret = this.secretNamed(input.SecretId);
        return {
          ARN: this.secretArn(secret.name),
          Name: secret.name,
          CreatedDate: secret.createdDate,
          VersionIdsToStages: versionsToStages(secret),
        };
      }
      default:
        throw new JsonApiError(
          'UnknownOperationException',
          400,
          `local-cloud's Secrets Manager does not implement ${operation}; it serves GetSecretValue, ListSecrets and DescribeSecret. Put secrets in ${this.account.secretsFile}.`,
        );
    }
  }

  /** ListSecrets: names and ARNs (never values), by name, in pages; `name` filters match a prefix. */
  private listSecrets(input: Record<string, unknown>): unknown {
    const maxResults = input.MaxResults ?? 100;
    if (
      typeof maxResults !== 'number' ||
      !Number.isInteger(maxResults) ||
      maxResults < 1 ||
      maxResults > 100
    ) {
      throw new JsonApiError(
        'InvalidParameterException',
        400,
        'Invalid MaxResults: it must be a whole number from 1 to 100.',
      );
    }
    const prefixes = nameFilterPrefixes(input.Filters);
    const names = this.catalog
      .secretNames()
      .filter((name) => prefixes.length === 0 || prefixes.some((prefix) => name.startsWith(prefix)))
      .sort();
    const start = input.NextToken === undefined ? 0 : pageStart(input.NextToken, names.length);
    const page = names.slice(start, start + maxResults);
    const secrets = page.map((name) => {
      const secret = this.catalog.secret(name)!;
      return {
        ARN: this.secretArn(name),
        Name: name,
        CreatedDate: secret.createdDate,
        SecretVersionsToStages: versionsToStages(secret),
      };
    });
    const next = start + page.length;
    return {
      SecretList: secrets,
      ...(next < names.length && { NextToken: Buffer.from(String(next)).toString('base64') }),
    };
  }

  private secretNamed(secretId: unknown): SecretRecord {
    if (typeof secretId !== 'string' || secretId === '') {
      throw new JsonApiError('InvalidParameterException', 400, 'You must provide a SecretId.');
    }
    const name = this.secretName(secretId);
    const secret = name === undefined ? undefined : this.catalog.secret(name);
    if (!secret) throw new JsonApiError('ResourceNotFoundException', 400, SECRET_NOT_FOUND);
    return secret;
  }

  private secretValue(input: Record<string, unknown>): unknown {
    const secret = this.secretNamed(input.SecretId);
    const stage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined;
    if (secret.value === undefined || (stage !== undefined && stage !== 'AWSCURRENT')) {
      throw new JsonApiError(
        'ResourceNotFoundException',
        400,
        `Secrets Manager can't find the specified secret value for staging label: ${stage ?? 'AWSCURRENT'}`,
      );
    }
    const versionId = versionIdOf(secret);
    if (typeof input.VersionId === 'string' && input.VersionId !== versionId) {
      throw new JsonApiError(
        'ResourceNotFoundException',
        400,
        `Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`,
      );
    }
    return {
      ARN: this.secretArn(secret.name),
      Name: secret.name,
      VersionId: versionId,
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdDate,
    };
  }

  ssm(operation: string, input: Record<string, unknown>): unknown {
    const decrypt = input.WithDecryption === true;
    switch (operation) {
      case 'GetParameter': {
        const name = parameterName(input.Name);
        const parameter = this.catalog.parameter(name);
        if (!parameter) throw new JsonApiError('ParameterNotFound', 400, `Parameter ${name} not found.`);
        return { Parameter: this.parameterOutput(parameter, decrypt) };
      }
      case 'GetParameters': {
        const names = input.Names;
        if (!Array.isArray(names) || names.length === 0 || names.length > 10) {
          throw new JsonApiError(
            'ValidationException',
            400,
            `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1`,
          );
        }
        if (!names.every((name) => typeof name === 'string')) {
          throw new JsonApiError(
            'SerializationException',
            400,
            'Names must be a list of parameter names (strings).',
          );
        }
        const found: unknown[] = [];
        const invalid: string[] = [];
        for (const requested of names) {
          const parameter = this.catalog.parameter(parameterName(requested));
          if (parameter) found.push(this.parameterOutput(parameter, decrypt));
          else invalid.push(requested);
        }
        return { Parameters: found, InvalidParameters: invalid };
      }
      case 'GetParametersByPath':
        return this.parametersByPath(input, decrypt);
      default:
        throw new JsonApiError(
          'UnknownOperationException',
          400,
          `local-cloud's SSM does not implement ${operation}; it serves GetParameter, GetParameters and GetParametersByPath. Put parameters in ${this.account.secretsFile}.`,
        );
    }
  }

  private parametersByPath(input: Record<string, unknown>, decrypt: boolean): unknown {
    const requestedPath = input.Path;
    if (typeof requestedPath !== 'string' || !requestedPath.startsWith('/')) {
      throw new JsonApiError(
        'ValidationException',
        400,
        'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
      );
    }
    const prefix = requestedPath.endsWith('/') ? requestedPath : `${requestedPath}/`;
    const matching = this.catalog
      .parameterNames()
      .filter(
        (name) =>
          name.startsWith(prefix) && (input.Recursive === true || !name.slice(prefix.length).includes('/')),
      );
    const pageSize = typeof input.MaxResults === 'number' ? Math.min(Math.max(input.MaxResults, 1), 10) : 10;
    const start =
      typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
    const page = matching.slice(start, start + pageSize);
    const next =
      start + pageSize < matching.length
        ? Buffer.from(String(start + pageSize)).toString('base64url')
        : undefined;
    return {
      Parameters: page.flatMap((name) => {
        const parameter = this.catalog.parameter(name);
        return parameter ? [this.parameterOutput(parameter, decrypt)] : [];
      }),
      ...(next ? { NextToken: next } : {}),
    };
  }

  private parameterOutput(parameter: ParameterRecord, decrypt: boolean): unknown {
    const encrypted = parameter.type === 'SecureString' && !decrypt;
    return {
      Name: parameter.name,
      Type: parameter.type,
      Value: encrypted ? this.ciphertext(parameter.value) : parameter.value,
      Version: 1,
      LastModifiedDate: parameter.lastModifiedDate,
      ARN: `arn:aws:ssm:${this.account.region}:${this.account.accountId}:parameter${parameter.name.startsWith('/') ? '' : '/'}${parameter.name}`,
      DataType: 'text',
    };
  }

  private ciphertext(value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    return Buffer.concat([iv, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
      'base64',
    );
  }

  /** A secret is found by name, by its ARN, or by its ARN without the 6-character suffix. */
  private secretName(secretId: string): string | undefined {
    if (!secretId.startsWith('arn:')) return secretId;
    return this.catalog
      .secretNames()
      .find((name) => this.secretArn(name) === secretId || this.secretArn(name).slice(0, -7) === secretId);
  }

  private secretArn(name: string): string {
    return `arn:aws:secretsmanager:${this.account.region}:${this.account.accountId}:secret:${name}-${secretArnSuffix(name)}`;
  }
}

/** SSM accepts a parameter's name or its ARN. */
function parameterName(value: unknown): string {
  const name = typeof value === 'string' ? value : '';
  const arn = /^arn:aws[a-z-]*:ssm:[^:]*:\d*:parameter(\/.*)$/.exec(name);
  if (!arn) return name;
  const withSlash = arn[1] ?? '';
  // The ARN of `name` (no leading slash) is `...:parameter/name`.
  return withSlash.indexOf('/', 1) === -1 ? withSlash.slice(1) : withSlash;
}

function uuidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A secrets file beside local-cloud's other state must never be committed: `.local-cloud/` ignores itself. */
function keepOutOfGit(directory: string, secretsFile: string): void {
  if (path.basename(directory) === '.local-cloud' && existsSync(secretsFile)) {
    const gitignore = path.join(directory, '.gitignore');
    if (!existsSync(gitignore)) writeFileSync(gitignore, '*\n');
  }
}

/** The prefixes of ListSecrets' `name` filters (`{ Key: 'name', Values: ['app/'] }`); other keys are refused. */
function nameFilterPrefixes(filters: unknown): string[] {
  if (filters === undefined) return [];
  if (!Array.isArray(filters))
    throw new JsonApiError('InvalidParameterException', 400, 'Filters must be a list.');
  return filters.flatMap((filter: unknown) => {
    const { Key: key, Values: values } = (filter ?? {}) as { Key?: unknown; Values?: unknown };
    if (key !== 'name' || !Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
      throw new JsonApiError(
        'InvalidParameterException',
        400,
        `local-cloud's ListSecrets filters by name only: { "Key": "name", "Values": ["prefix"] }.`,
      );
    }
    return values;
  });
}

/** Where a page starts, from a NextToken this API gave. */
function pageStart(token: unknown, total: number): number {
  const start = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString()) : NaN;
  if (!Number.isInteger(start) || start < 0 || start > total) {
    throw new JsonApiError('InvalidNextTokenException', 400, 'The NextToken value is invalid.');
  }
  return start;
}

/** A secret's version id: derived from its name and value, so it changes exactly when the value does. */
function versionIdOf(secret: SecretRecord): string {
  return uuidOf(`${secret.name}\u0000${secret.value}`);
}

function versionsToStages(secret: SecretRecord): Record<string, string[]> {
  return secret.value === undefined ? {} : { [versionIdOf(secret)]: ['AWSCURRENT'] };
}
