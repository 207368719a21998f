// Packages the service with the real Serverless Framework v3, offline (no AWS account needed), and checks the
// CloudFormation template it would deploy: what serverless.yml says is what AWS would get.
import path from 'node:path';
import {
  packageService,
  printService,
  type CloudFormationResource as Resource,
  type PackagedService,
  type PolicyStatement,
} from '@serverless-course/test-kit';
import { CONTENT_TYPES, MAX_TITLE_LENGTH } from '../src/core/image';

// Packaging bundles three functions with esbuild: a few seconds, done once for the whole file.
jest.setTimeout(120_000);

interface KeyElement {
  AttributeName: string;
  KeyType: string;
}

const labDir = path.resolve(__dirname, '..');
let service: PackagedService;
let prod: {
  provider: { stage: string; memorySize: number; logRetentionInDays: number };
  resources: { Resources: Record<string, Resource> };
};

beforeAll(async () => {
  // The prod stage is only resolved, not packaged: its differences are all in the configuration.
  [service, prod] = await Promise.all([
    packageService(labDir),
    printService<typeof prod>(labDir, { stage: 'prod' }),
  ]);
});

const resource = (logicalId: string): Resource => service.resource(logicalId);
const resourcesOfType = (type: string): [string, Resource][] => service.resourcesOfType(type);

/** The API Gateway method for a path (as `groups/{groupId}/images`) and an HTTP method. */
function method(routePath: string, httpMethod: string): Resource {
  let parentId: unknown = { 'Fn::GetAtt': ['ApiGatewayRestApi', 'RootResourceId'] };
  for (const part of routePath.split('/')) {
    const child = resourcesOfType('AWS::ApiGateway::Resource').find(
      ([, candidate]) =>
        candidate.Properties.PathPart === part &&
        JSON.stringify(candidate.Properties.ParentId) === JSON.stringify(parentId),
    );
    if (child === undefined) throw new Error(`the REST API has no resource /${routePath}`);
    parentId = { Ref: child[0] };
  }
  const found = resourcesOfType('AWS::ApiGateway::Method').find(
    ([, candidate]) =>
      candidate.Properties.HttpMethod === httpMethod &&
      JSON.stringify(candidate.Properties.ResourceId) === JSON.stringify(parentId),
  );
  if (found === undefined) throw new Error(`the REST API has no ${httpMethod} /${routePath}`);
  return found[1];
}

/** The logical id in `{ Ref: id }`; `what` names the reference when there is none. */
function referencedId(reference: unknown, what: string): string {
  const ref = (reference as { Ref?: unknown } | undefined)?.Ref;
  if (typeof ref !== 'string')
    throw new Error(`${what} is missing: expected { Ref: ... }, got ${JSON.stringify(reference)}`);
  return ref;
}

/** The table's logical id for a name, so a hard-coded ARN is understood as well as Fn::GetAtt. */
function tableIdNamed(name: string): string {
  const found = resourcesOfType('AWS::DynamoDB::Table').find(
    ([, table]) => table.Properties.TableName === name,
  );
  return found?.[0] ?? name;
}

/**
 * A policy resource in one comparable spelling: `ImagesTable` for the table's ARN, `ImagesTable/index/X`
 * for an index's, whether written with Fn::GetAtt, Fn::Join, Fn::Sub or as a literal ARN.
 */
function describeResource(value: unknown): string {
  if (typeof value === 'string') {
    const arn = /:table\/([^/]+)(\/.*)?$/.exec(value);
    return arn ? `${tableIdNamed(arn[1] ?? '')}${arn[2] ?? ''}` : value;
  }
  const intrinsic = value as Record<string, unknown>;
  if ('Fn::GetAtt' in intrinsic) {
    const target = intrinsic['Fn::GetAtt'];
    const parts: unknown[] = Array.isArray(target) ? (target as unknown[]) : String(target).split('.');
    const [logicalId, attribute] = parts;
    return attribute === 'Arn' ? String(logicalId) : JSON.stringify(value);
  }
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(describeResource).join(separator);
  }
  if ('Fn::Sub' in intrinsic && typeof intrinsic['Fn::Sub'] === 'string') {
    return describeResource(intrinsic['Fn::Sub'].replace(/\$\{(\w+)\.Arn\}/g, ':table/$1'));
  }
  return JSON.stringify(value);
}

/** The IAM role a function runs with. */
function roleOf(functionId: string): [string, Resource] {
  const role = resource(functionId).Properties.Role as { 'Fn::GetAtt'?: [string, string] };
  const roleId = role['Fn::GetAtt']?.[0];
  if (roleId === undefined) throw new Error(`${functionId} has no role from this template`);
  return [roleId, resource(roleId)];
}

function statementsOf(role: Resource): PolicyStatement[] {
  const policies = (role.Properties.Policies ?? []) as { PolicyDocument: { Statement: PolicyStatement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}

/** Every "action on resource" a function's role allows beyond its logs, sorted. */
function dataPermissionsOf(functionId: string): string[] {
  const [, role] = roleOf(functionId);
  return statementsOf(role)
    .filter((statement) => [statement.Action].flat().some((action) => !action.startsWith('logs:')))
    .flatMap((statement) =>
      [statement.Action]
        .flat()
        .flatMap((action) =>
          [statement.Resource]
            .flat()
            .map((target) => `${action.toLowerCase()} on ${describeResource(target)}`),
        ),
    )
    .sort();
}

function table(logicalId: string) {
  return resource(logicalId).Properties as {
    TableName: string;
    BillingMode?: string;
    AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
    KeySchema: KeyElement[];
    GlobalSecondaryIndexes?: { IndexName: string; KeySchema: KeyElement[]; Projection: unknown }[];
    LocalSecondaryIndexes?: unknown[];
  };
}

const FUNCTIONS = ['GetImagesLambdaFunction', 'GetImageLambdaFunction', 'CreateImageLambdaFunction'];

describe('serverless.yml, packaged', () => {
  it('defines the three functions of the images API', () => {
    const names = resourcesOfType('AWS::Lambda::Function').map(([, fn]) => fn.Properties.FunctionName);

    expect(names.sort()).toEqual([
      'udagram-images-dev-createImage',
      'udagram-images-dev-getImage',
      'udagram-images-dev-getImages',
    ]);
  });

  it.each([
    ['GetImagesLambdaFunction', 'src/handlers/get-images.handler'],
    ['GetImageLambdaFunction', 'src/handlers/get-image.handler'],
    ['CreateImageLambdaFunction', 'src/handlers/create-image.handler'],
  ])("runs %s on nodejs24.x with handler %s and the dev stage's 256 MB", (logicalId, handler) => {
    expect(resource(logicalId).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: handler,
      MemorySize: 256,
      Timeout: 6,
    });
  });

  it.each([
    ['groups/{groupId}/images', 'GET', 'GetImagesLambdaFunction'],
    ['images/{imageId}', 'GET', 'GetImageLambdaFunction'],
    ['groups/{groupId}/images', 'POST', 'CreateImageLambdaFunction'],
  ])('routes %s %s to %s through a Lambda proxy integration', (routePath, httpMethod, functionId) => {
    const found = method(routePath, httpMethod);

    expect(found.Properties).toMatchObject({ Integration: { Type: 'AWS_PROXY' } });
    expect(JSON.stringify(found.Properties.Integration)).toContain(`"${functionId}"`);
  });

  it('keeps the Groups table keyed by id and billed per request', () => {
    expect(table('GroupsTable')).toMatchObject({
      TableName: 'udagram-images-groups-dev',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
  });

  it.each(FUNCTIONS)('gives %s the table names through Ref, so they follow the stage', (functionId) => {
    const variables = (resource(functionId).Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;

    expect(variables).toMatchObject({
      GROUPS_TABLE: { Ref: 'GroupsTable' },
      IMAGES_TABLE: { Ref: 'ImagesTable' },
    });
  });

  it("keeps the dev stage's logs for 7 days", () => {
    const retention = resourcesOfType('AWS::Logs::LogGroup').map(
      ([, group]) => group.Properties.RetentionInDays,
    );

    expect(retention).toEqual([7, 7, 7]);
  });
});

describe('per-stage configuration', () => {
  it('gives the prod stage more memory, longer log retention and its own tables', () => {
    expect(prod.provider).toMatchObject({ stage: 'prod', memorySize: 512, logRetentionInDays: 30 });
    expect(prod.resources.Resources.GroupsTable?.Properties.TableName).toBe('udagram-images-groups-prod');
    expect(prod.resources.Resources.ImagesTable?.Properties.TableName).toBe('udagram-images-images-prod');
  });
});

describe('the Images table', () => {
  it('is named for the service and the stage, and billed per request', () => {
    expect(table('ImagesTable')).toMatchObject({
      TableName: 'udagram-images-images-dev',
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('is keyed by groupId (partition key) and timestamp (sort key)', () => {
    expect(table('ImagesTable').KeySchema).toEqual([
      { AttributeName: 'groupId', KeyType: 'HASH' },
      { AttributeName: 'timestamp', KeyType: 'RANGE' },
    ]);
  });

  it('declares exactly the key attributes of the table and its index, all strings', () => {
    const definitions = [...table('ImagesTable').AttributeDefinitions].sort((a, b) =>
      a.AttributeName.localeCompare(b.AttributeName),
    );

    expect(definitions).toEqual([
      { AttributeName: 'groupId', AttributeType: 'S' },
      { AttributeName: 'imageId', AttributeType: 'S' },
      { AttributeName: 'timestamp', AttributeType: 'S' },
    ]);
  });

  it('has one global secondary index, ImageIdIndex, keyed by imageId', () => {
    const indexes = table('ImagesTable').GlobalSecondaryIndexes ?? [];

    expect(indexes).toHaveLength(1);
    expect(indexes[0]).toMatchObject({
      IndexName: 'ImageIdIndex',
      KeySchema: [{ AttributeName: 'imageId', KeyType: 'HASH' }],
    });
  });

  it('projects every attribute into the index, since GET /images/{imageId} returns the whole image', () => {
    const [index] = table('ImagesTable').GlobalSecondaryIndexes ?? [];

    expect(index?.Projection).toEqual({ ProjectionType: 'ALL' });
  });

  it('has no local secondary index: the lookup is by another partition key, which only a GSI allows', () => {
    expect(table('ImagesTable').LocalSecondaryIndexes ?? []).toEqual([]);
  });

  it('gives the functions the index name the table declares', () => {
    const [index] = table('ImagesTable').GlobalSecondaryIndexes ?? [];

    for (const functionId of FUNCTIONS) {
      const variables = (
        resource(functionId).Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(variables.IMAGE_ID_INDEX).toBe(index?.IndexName);
    }
  });
});

describe('the CreateImageRequest model', () => {
  const VALIDATOR =
    'The request validator of POST /groups/{groupId}/images (request.schemas on its http event)';
  const MODEL =
    'The application/json model of POST /groups/{groupId}/images (request.schemas on its http event)';

  function createImageMethod() {
    return method('groups/{groupId}/images', 'POST').Properties as {
      RequestValidatorId?: unknown;
      RequestModels?: Record<string, unknown>;
    };
  }

  function model() {
    const reference = createImageMethod().RequestModels?.['application/json'];
    return resource(referencedId(reference, MODEL)).Properties as {
      Name: string;
      ContentType: string;
      Schema: {
        $schema?: string;
        type?: string;
        required?: string[];
        additionalProperties?: boolean;
        properties?: Record<string, Record<string, unknown>>;
      };
    };
  }

  it('has API Gateway validate the body of POST /groups/{groupId}/images before the function runs', () => {
    const validator = resource(referencedId(createImageMethod().RequestValidatorId, VALIDATOR));

    expect(validator.Type).toBe('AWS::ApiGateway::RequestValidator');
    expect(validator.Properties).toMatchObject({ ValidateRequestBody: true });
  });

  it('is an API Gateway model named CreateImageRequest for application/json', () => {
    const reference = createImageMethod().RequestModels?.['application/json'];

    expect(resource(referencedId(reference, MODEL)).Type).toBe('AWS::ApiGateway::Model');
    expect(model()).toMatchObject({ Name: 'CreateImageRequest', ContentType: 'application/json' });
  });

  it('is a JSON Schema draft-04 object that requires title and contentType and allows nothing else', () => {
    const { Schema } = model();

    expect(Schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(Schema.type).toBe('object');
    expect([...(Schema.required ?? [])].sort()).toEqual(['contentType', 'title']);
    expect(Schema.additionalProperties).toBe(false);
  });

  it(`limits title to a string of 1 to ${MAX_TITLE_LENGTH} characters, as the code does`, () => {
    expect(model().Schema.properties?.title).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: MAX_TITLE_LENGTH,
    });
  });

  it('allows exactly the content types the code allows', () => {
    const contentType = model().Schema.properties?.contentType ?? {};

    expect(contentType.type).toBe('string');
    expect([...((contentType.enum ?? []) as string[])].sort()).toEqual([...CONTENT_TYPES].sort());
  });

  it('leaves the GET routes unvalidated: they have no body', () => {
    for (const [routePath] of [['groups/{groupId}/images'], ['images/{imageId}']] as const) {
      expect(method(routePath, 'GET').Properties.RequestModels).toBeUndefined();
    }
  });
});

describe('per-function IAM', () => {
  it('gives each function a role of its own', () => {
    const roles = FUNCTIONS.map((functionId) => roleOf(functionId)[0]);

    expect(new Set(roles).size).toBe(FUNCTIONS.length);
  });

  it('lets getImages read a group by key and query the Images table, nothing more', () => {
    expect(dataPermissionsOf('GetImagesLambdaFunction')).toEqual([
      'dynamodb:getitem on GroupsTable',
      'dynamodb:query on ImagesTable',
    ]);
  });

  it('lets getImage query the ImageIdIndex index only, not the table itself', () => {
    expect(dataPermissionsOf('GetImageLambdaFunction')).toEqual([
      'dynamodb:query on ImagesTable/index/ImageIdIndex',
    ]);
  });

  it('lets createImage read a group by key and put an item in the Images table, nothing more', () => {
    expect(dataPermissionsOf('CreateImageLambdaFunction')).toEqual([
      'dynamodb:getitem on GroupsTable',
      'dynamodb:putitem on ImagesTable',
    ]);
  });

  it.each(FUNCTIONS)('grants %s only Allow statements and no managed policies', (functionId) => {
    const [, role] = roleOf(functionId);

    expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    for (const statement of statementsOf(role)) {
      expect(statement.Effect).toBe('Allow');
    }
  });
});
