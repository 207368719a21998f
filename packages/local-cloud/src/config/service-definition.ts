// What local-cloud needs to know about a service, normalised from the Serverless Framework's own resolved
// configuration (`serverless print --format json`). Defaults are the framework's, so a value means here
// what it means on deploy.

export interface ServiceDefinition {
  /** `service:` in serverless.yml. */
  service: string;
  /** Absolute path of the folder holding serverless.yml; handler paths are relative to it. */
  servicePath: string;
  provider: ProviderDefinition;
  /** Keyed by the function's key in serverless.yml (`hello`), in the file's order. */
  functions: Record<string, FunctionDefinition>;
  /** CloudFormation `resources.Resources`, for the data services (a later issue). */
  resources: Record<string, unknown>;
  /** `custom:` in serverless.yml, as resolved. */
  custom: Record<string, unknown>;
  /** `stepFunctions:` (the serverless-step-functions plugin's block) as resolved, when present: src/services/stepfunctions reads it. */
  stepFunctions?: Record<string, unknown>;
}

export interface ProviderDefinition {
  region: string;
  stage: string;
  runtime: string;
  /** `provider.apiGateway.binaryMediaTypes`: request bodies of these types reach functions base64-encoded. */
  binaryMediaTypes: string[];
  /** `provider.websocketsApiRouteSelectionExpression`: how the WebSocket API picks a message's route. */
  websocketsApiRouteSelectionExpression?: string;
  /** `provider.httpApi` as resolved (payload, cors, authorizers): src/http-api reads it. */
  httpApi?: Record<string, unknown>;
  /**
   * The service's execution role as resolved: `provider.iam.role` (an object with `statements`,
   * `managedPolicies`, `name`, or a role's ARN or logical id), or the framework v2 keys
   * (`iamRoleStatements`, `iamManagedPolicies`, `role`) folded into that form. src/iam reads it.
   */
  iamRole?: unknown;
}

export interface FunctionDefinition {
  /** The key in serverless.yml: `hello`. */
  key: string;
  /** The deployed name: `<service>-<stage>-<key>` unless `name:` overrides it. */
  name: string;
  /** `src/handlers/hello.handler`: module path (no extension) relative to servicePath, then the export. */
  handler: string;
  runtime: string;
  /** MB, 128 to 10,240; the framework's default is 1,024. */
  memorySize: number;
  /** Seconds, up to 900; the framework's default is 6. */
  timeout: number;
  /** Provider environment merged with the function's (the function wins). At most 4 KB in total. */
  environment: Record<string, string>;
  /** `reservedConcurrency:`; sync invocations beyond it are throttled (429). */
  reservedConcurrency?: number;
  /** Async (Event) invocations: retries after a function error, 0 to 2 (default 2). */
  maximumRetryAttempts: number;
  /** Async (Event) invocations: seconds an event may wait before it is dropped, 60 to 21,600 (default 21,600). */
  maximumEventAge: number;
  /** `destinations:` for async invocations: function keys or ARNs. */
  destinations: { onSuccess?: string; onFailure?: string };
  /** `onError:` the SQS queue or SNS topic ARN a failed async event goes to (its dead-letter queue). */
  deadLetterTarget?: string;
  httpEvents: HttpEventDefinition[];
  /** Every event as resolved, for event sources added later (s3, sns, stream, schedule, websocket). */
  events: Record<string, unknown>[];
  /**
   * The function's own role: `role:` (a role's ARN or logical id), or the serverless-iam-roles-per-function
   * plugin's `iamRoleStatements` (with `iamRoleStatementsInherit` and `iamRoleStatementsName`). src/iam reads it.
   */
  iam?: {
    role?: unknown;
    statements?: unknown[];
    inherit?: boolean;
    roleName?: string;
  };
  /** Settings in serverless.yml that local-cloud does not read (`vpc`, `layers`, ...), if any. */
  settingsNotRead?: string[];
}

export interface HttpEventDefinition {
  /** Upper case: GET, POST, ... or ANY. */
  method: string;
  /** Leading slash, API Gateway template syntax: `/groups/{groupId}`, `/files/{proxy+}`. */
  path: string;
  cors?: CorsDefinition;
  /** Content type to JSON Schema (draft-04) model, from `request.schemas`. */
  requestSchemas: Record<string, object>;
  /** Raw `authorizer:` value, for the authorizers issue. */
  authorizer?: unknown;
}

export interface CorsDefinition {
  origins: string[];
  headers: string[];
  methods: string[];
  allowCredentials: boolean;
  maxAge?: number;
}
