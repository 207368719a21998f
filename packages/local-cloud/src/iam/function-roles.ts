// Which IAM role each function of a service runs with, and that role's policies, as `serverless deploy` would
// create them, so local-cloud can check every AWS call a function makes against its own role.
//
// Followed from the sources (the course deploys with osls 3, the Serverless Framework v3 line, and the
// serverless-iam-roles-per-function plugin 3.2.0):
// - lib/plugins/aws/package/lib/merge-iam-templates.js: the shared role `IamRoleLambdaExecution`, named
//   `<service>-<stage>-<region>-lambdaRole` unless `provider.iam.role.name`, with the CloudWatch Logs
//   statements, `provider.iam.role.statements` and `managedPolicies` (the v2 keys `iamRoleStatements` and
//   `iamManagedPolicies` arrive folded into the same object). It is not created when `provider.iam.role` (or
//   v2 `provider.role`) names an existing role, nor when every function has its own `role:`.
// - compile/functions.js (onError, destinations), compile/events/{sqs,stream,websockets,schedule}.js: the
//   statements they add to the shared role, whichever function they come from.
// - the plugin's src/lib/index.ts: a function with `iamRoleStatements` gets a role of its own, with its log
//   group, its stream and queue events, onError, `provider.iam.role.statements` when it inherits, and its own
//   statements, but none of the shared role's managed policies.
// - a role named by `role:` (a logical id, `Fn::GetAtt`, or an ARN) is used as it is: local-cloud reads its
//   policies from `resources.Resources` when it is declared there, and cannot know them otherwise.
//
// Values may still hold CloudFormation intrinsics; they are resolved with the caller's `resolveValue`, and
// one that cannot be is left out of the policy, with a warning naming where it is (a statement then grants
// less, never more).
import type { FunctionDefinition, ServiceDefinition } from '../config/service-definition';
import { isRecord } from '../common/records';
import { functionLogicalId, generatedPhysicalName, resourcesOfType } from '../cloudformation/values';
import { intrinsicOf } from '../platform/resolve-intrinsics';
import { MalformedPolicyDocumentError, parseStatements } from './policy-document';
import type { NamedPolicy, PolicyStatement } from './policy-types';
import { DROPPED, isIntrinsic, parseJsonQuietly, resolveDeep } from './resolve-deep';
import {
  awsManagedPolicy,
  awsManagedPolicyWithName,
  isAwsManagedPolicyArn,
  knownAwsManagedPolicies,
} from './managed-policies';

export interface FunctionRole {
  roleName: string;
  roleArn: string;
  /** `arn:aws:sts::<account>:assumed-role/<roleName>/<function's deployed name>` (what AWS names the caller in AccessDenied messages) */
  sessionArn: string;
  policies: NamedPolicy[];
  /** Where the role is declared, for log lines that say which statement to add: `provider.iam.role.statements`, `functions.resize.iamRoleStatements`, `resources.Resources.ImagesRole` */
  declaredAt: string;
  /** Set when local-cloud cannot know the role's policies (an existing role named by ARN, not in resources): calls are then allowed, and this says why, once, at start-up. */
  unknownPolicies?: string;
}

export interface FunctionRoleOptions {
  accountId: string;
  region: string;
  /** The value one CloudFormation intrinsic stands for, or undefined when local-cloud cannot know it. */
  resolveValue: (value: unknown) => string | undefined;
}

/** The framework's logical id for the role it creates; the plugin's roles are `<Function>IamRoleLambdaExecution`. */
const SHARED_ROLE_LOGICAL_ID = 'IamRoleLambdaExecution';
const PLUGIN = 'serverless-iam-roles-per-function';
/** IAM's limit on a role's name. */
const ROLE_NAME_LIMIT = 64;
const VERSION = '2012-10-17';
const PROVIDER_STATEMENTS = 'provider.iam.role.statements';

/** A role without the session, which differs per function even when the role is shared. */
type Role = Omit<FunctionRole, 'sessionArn'>;

export function functionRoles(
  service: ServiceDefinition,
  options: FunctionRoleOptions,
): { roles: Record<string, FunctionRole>; warnings: string[] } {
  const compiler = new RoleCompiler(service, options);
  const roles: Record<string, FunctionRole> = {};
  for (const fn of Object.values(service.functions)) {
    const role = compiler.roleOf(fn);
    roles[fn.key] = { ...role, sessionArn: sessionArnOf(role, fn, options.accountId) };
  }
  // Roles are compiled per function; a problem in what several share is said once.
  return { roles, warnings: [...new Set(compiler.warnings)] };
}

function sessionArnOf(role: Role, fn: FunctionDefinition, accountId: string): string {
  const account = /^arn:[^:]+:iam::(\d{12}):/.exec(role.roleArn)?.[1] ?? accountId;
  return `arn:aws:sts::${account}:assumed-role/${role.roleName}/${fn.name}`;
}

/** `provider.iam.role` as the framework reads it: the role it creates (with settings), or an existing one. */
type ProviderRole =
  { kind: 'created'; settings: Record<string, unknown> } | { kind: 'existing'; reference: unknown };

/**
 * The framework's isExistingRoleProvided(): a string (an ARN or a logical id) or an intrinsic (an object with
 * a `Fn::`/`AWS::` key) names a role; any other object configures the role the framework creates.
 */
function providerRoleOf(iamRole: unknown): ProviderRole {
  if (typeof iamRole === 'string') return { kind: 'existing', reference: iamRole };
  if (!isRecord(iamRole)) return { kind: 'created', settings: {} };
  if (Object.keys(iamRole).some((key) => key.includes('::'))) return { kind: 'existing', reference: iamRole };
  return { kind: 'created', settings: iamRole };
}

class RoleCompiler {
  readonly warnings: string[] = [];
  private readonly provider: ProviderRole;
  private readonly resources: Record<string, unknown>;
  private shared: Role | undefined;
  private readonly resourceRoles = new Map<string, Role>();

  constructor(
    private readonly service: ServiceDefinition,
    private readonly options: FunctionRoleOptions,
  ) {
    this.provider = providerRoleOf(service.provider.iamRole);
    this.resources = service.resources;
    this.warnAboutProviderSettings();
  }

  roleOf(fn: FunctionDefinition): Role {
    const where = `functions.${fn.key}`;
    if (fn.iam?.role !== undefined) {
      if (fn.iam.statements !== undefined) {
        this.warnings.push(
          `${where} has both role and iamRoleStatements, which ${PLUGIN} refuses ("Define function with both 'role' and 'iamRoleStatements' is not supported"), so the deploy fails; local-cloud uses the role. Fix: remove one of them`,
        );
      }
      return this.referencedRole(fn.iam.role, `${where}.role`);
    }
    if (fn.iam?.statements !== undefined) return this.pluginRole(fn);
    if (this.provider.kind === 'existing')
      return this.referencedRole(this.provider.reference, 'provider.iam.role');
    this.shared ??= this.sharedRole();
    return this.shared;
  }

  private warnAboutProviderSettings(): void {
    if (this.provider.kind !== 'created') return;
    const { settings } = this.provider;
    if (settings.permissionsBoundary !== undefined || settings.permissionBoundary !== undefined) {
      this.warnings.push(
        "provider.iam.role.permissionsBoundary is not applied by local-cloud: calls the boundary would deny on AWS are allowed here (the role's policies are still checked)",
      );
    }
    if (settings.mode === 'perFunction') {
      this.warnings.push(
        "provider.iam.role.mode: perFunction (Serverless Framework v4) is not read by local-cloud: functions get the framework v3 roles (one shared role, or serverless-iam-roles-per-function's). Fix: give functions iamRoleStatements with the serverless-iam-roles-per-function plugin",
      );
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // The framework's shared role.

  private sharedRole(): Role {
    const settings = this.provider.kind === 'created' ? this.provider.settings : {};
    const roleName = this.sharedRoleName(settings);
    const path = this.rolePath(settings);
    const frameworkStatements = [
      ...this.logStatements(),
      ...this.onErrorStatements(),
      ...this.destinationStatements(),
      ...this.sqsEventStatements(),
      ...Object.values(this.service.functions).flatMap((fn) => this.streamEventStatements(fn, 'framework')),
      ...this.websocketStatements(),
      ...this.schedulerStatements(),
    ];
    const policies: NamedPolicy[] = [
      this.policy(
        `${SHARED_ROLE_LOGICAL_ID}: the framework's statements (CloudWatch Logs, events, onError, destinations)`,
        frameworkStatements,
      ),
    ];
    if (settings.statements !== undefined) {
      policies.push(
        this.policy(PROVIDER_STATEMENTS, this.statementList(settings.statements, PROVIDER_STATEMENTS)),
      );
    }
    const managed = Array.isArray(settings.managedPolicies)
      ? [...(settings.managedPolicies as unknown[])]
      : [];
    if (this.anyFunctionInVpc()) managed.push(VPC_ACCESS_POLICY);
    policies.push(...this.managedPolicies(managed, 'provider.iam.role.managedPolicies'));
    policies.push(...this.attachedPolicies(SHARED_ROLE_LOGICAL_ID, roleName));
    return {
      roleName,
      roleArn: this.roleArn(path, roleName),
      policies: policies.filter((policy) => policy.document.Statement.length > 0),
      declaredAt: PROVIDER_STATEMENTS,
    };
  }

  private sharedRoleName(settings: Record<string, unknown>): string {
    const custom =
      settings.name === undefined ? undefined : this.resolveString(settings.name, 'provider.iam.role.name');
    const { service, provider } = this.service;
    const name = custom ?? `${service}-${provider.stage}-${provider.region}-lambdaRole`;
    if (name.length > ROLE_NAME_LIMIT) {
      this.warnings.push(
        `the role the framework creates would be named ${name}, over IAM's ${ROLE_NAME_LIMIT} characters, so the deploy fails. Fix: set provider.iam.role.name to a shorter name`,
      );
    }
    return name;
  }

  /** `provider.iam.role.path`, `/` unless set; the plugin's roles copy it from the shared role. */
  private rolePath(settings: Record<string, unknown>): string {
    return settings.path === undefined
      ? '/'
      : (this.resolveString(settings.path, 'provider.iam.role.path') ?? '/');
  }

  private roleArn(path: string, roleName: string): string {
    return `arn:aws:iam::${this.options.accountId}:role${path}${roleName}`;
  }

  /**
   * The two log statements of iam-role-lambda-execution-template.json: every function named
   * `<service>-<stage>-...` is covered by one wildcard, a function with its own `name:` by its log group.
   */
  private logStatements(): PolicyStatement[] {
    const prefix = `${this.service.service}-${this.service.provider.stage}`;
    const groups: string[] = [];
    let canonical = false;
    for (const fn of Object.values(this.service.functions)) {
      if (fn.name.startsWith(prefix)) canonical = true;
      else groups.push(this.logGroupArn(`/aws/lambda/${fn.name}`));
    }
    if (canonical) groups.push(this.logGroupArn(`/aws/lambda/${prefix}*`));
    return [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:TagResource'],
        Resource: groups.map((group) => `${group}:*`),
      },
      { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: groups.map((group) => `${group}:*:*`) },
    ];
  }

  private logGroupArn(logGroup: string): string {
    return `arn:aws:logs:${this.options.region}:${this.options.accountId}:log-group:${logGroup}`;
  }

  /**
   * compile/functions.js: `onError` adds sns:Publish on the target to the shared role when the target is a
   * plain string (v3 supports SNS dead-letter topics only; an SQS ARN gets sns:Publish too, uselessly).
   */
  private onErrorStatements(): PolicyStatement[] {
    return Object.values(this.service.functions).flatMap((fn) => {
      const target = fn.deadLetterTarget;
      if (target === undefined || intrinsicOf(target) !== undefined) return [];
      return [{ Effect: 'Allow' as const, Action: ['sns:Publish'], Resource: [target] }];
    });
  }

  /**
   * compile/functions.js ensureTargetExecutionPermission(): each destination of a function without a role of
   * its own (`role:`) adds one statement to the shared role, the action chosen by the target's kind.
   */
  private destinationStatements(): PolicyStatement[] {
    return Object.values(this.service.functions).flatMap((fn) => {
      if (fn.iam?.role !== undefined) return [];
      return (['onSuccess', 'onFailure'] as const).flatMap((which) => {
        const target = fn.destinations[which];
        if (target === undefined) return [];
        const statement = this.destinationStatement(target, `functions.${fn.key}.destinations.${which}`);
        return statement === undefined ? [] : [statement];
      });
    });
  }

  private destinationStatement(target: string, where: string): PolicyStatement | undefined {
    const intrinsic = intrinsicOf(target);
    const arn =
      intrinsic !== undefined
        ? this.resolveString(intrinsic, where)
        : target.startsWith('arn:')
          ? target
          : this.functionArnOf(target, where);
    if (arn === undefined) return undefined;
    const action = destinationAction(arn);
    if (action === undefined) {
      this.warnings.push(
        `${where} is ${arn}, not a function, queue, topic or event bus, which the framework refuses ("Unsupported destination target")`,
      );
      return undefined;
    }
    return { Effect: 'Allow', Action: action, Resource: arn };
  }

  private functionArnOf(key: string, where: string): string | undefined {
    const target = this.service.functions[key];
    if (target !== undefined) {
      return `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${target.name}`;
    }
    this.warnings.push(
      `${where} names the function ${key}, which the service does not define, so the deploy fails`,
    );
    return undefined;
  }

  /** compile/events/sqs.js: one statement for every function's queues. */
  private sqsEventStatements(): PolicyStatement[] {
    const queues = Object.values(this.service.functions).flatMap((fn) => this.sqsQueuesOf(fn));
    return queues.length === 0 ? [] : [sqsReceiveStatement(queues)];
  }

  private sqsQueuesOf(fn: FunctionDefinition): string[] {
    return eventsOfType(fn, 'sqs').flatMap(({ event, index }) => {
      const arn = isRecord(event) && event.arn !== undefined ? event.arn : event;
      const resolved = this.resolveString(arn, `functions.${fn.key}.events[${index}].sqs`);
      return resolved === undefined ? [] : [resolved];
    });
  }

  /**
   * compile/events/stream.js (`framework`, per function) and the plugin's getStreamStatements (`plugin`,
   * which knows neither consumers nor onFailure destinations).
   */
  private streamEventStatements(fn: FunctionDefinition, by: 'framework' | 'plugin'): PolicyStatement[] {
    const resources = { dynamodb: [] as string[], kinesis: [] as string[], consumerStreams: [] as string[] };
    const consumers: string[] = [];
    const failures = { sns: [] as string[], sqs: [] as string[] };
    for (const { event, index } of eventsOfType(fn, 'stream')) {
      const where = `functions.${fn.key}.events[${index}].stream`;
      const settings = isRecord(event) ? event : {};
      const arn = this.resolveString(isRecord(event) ? event.arn : event, where);
      if (arn === undefined) continue;
      const type = typeof settings.type === 'string' ? settings.type : arn.split(':')[2];
      const consumer = by === 'framework' ? settings.consumer : undefined;
      if (type === 'dynamodb') resources.dynamodb.push(arn);
      else if (consumer !== undefined && consumer !== false) resources.consumerStreams.push(arn);
      else resources.kinesis.push(arn);
      // `consumer: true` makes the framework create the consumer, whose ARN only exists once deployed.
      if (typeof consumer === 'string') consumers.push(consumer);
      if (by === 'framework')
        this.collectStreamFailureTarget(settings.destinations, `${where}.destinations`, failures);
    }
    return [
      ...ifAny(resources.dynamodb, (list) => ({
        Effect: 'Allow',
        Action: [
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:DescribeStream',
          'dynamodb:ListStreams',
        ],
        Resource: list,
      })),
      ...ifAny(resources.kinesis, (list) => ({
        Effect: 'Allow',
        Action: [
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:DescribeStream',
          'kinesis:ListStreams',
        ],
        Resource: list,
      })),
      ...ifAny(resources.consumerStreams, (list) => ({
        Effect: 'Allow',
        Action: [
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:DescribeStreamSummary',
          'kinesis:ListShards',
        ],
        Resource: list,
      })),
      ...ifAny(consumers, (list) => ({
        Effect: 'Allow',
        Action: ['kinesis:SubscribeToShard'],
        Resource: list,
      })),
      ...ifAny(failures.sns, (list) => ({ Effect: 'Allow', Action: ['sns:Publish'], Resource: list })),
      ...ifAny(failures.sqs, (list) => ({
        Effect: 'Allow',
        Action: ['sqs:ListQueues', 'sqs:SendMessage'],
        Resource: list,
      })),
    ];
  }

  private collectStreamFailureTarget(
    destinations: unknown,
    where: string,
    into: { sns: string[]; sqs: string[] },
  ): void {
    if (!isRecord(destinations) || destinations.onFailure === undefined) return;
    const onFailure = destinations.onFailure;
    const arn = this.resolveString(
      isRecord(onFailure) && 'arn' in onFailure ? onFailure.arn : onFailure,
      `${where}.onFailure`,
    );
    if (arn === undefined) return;
    const type =
      isRecord(onFailure) && typeof onFailure.type === 'string' ? onFailure.type : arn.split(':')[2];
    (type === 'sns' ? into.sns : into.sqs).push(arn);
  }

  /** compile/events/websockets/lib/api.js: any `websocket` event lets the shared role post to connections. */
  private websocketStatements(): PolicyStatement[] {
    const any = Object.values(this.service.functions).some((fn) => eventsOfType(fn, 'websocket').length > 0);
    if (!any) return [];
    return [
      {
        Effect: 'Allow',
        Action: ['execute-api:ManageConnections'],
        Resource: ['arn:aws:execute-api:*:*:*/@connections/*'],
      },
    ];
  }

  /** compile/events/schedule.js: `method: scheduler` schedules invoke their function with the shared role. */
  private schedulerStatements(): PolicyStatement[] {
    const targets = Object.values(this.service.functions)
      .filter((fn) =>
        eventsOfType(fn, 'schedule').some(({ event }) => isRecord(event) && event.method === 'scheduler'),
      )
      .flatMap((fn) => {
        const arn = `arn:aws:lambda:${this.options.region}:${this.options.accountId}:function:${fn.name}`;
        return [arn, `${arn}:*`];
      });
    return ifAny(targets, (list) => ({ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: list }));
  }

  /** merge-iam-templates.js: `vpc:` on any function attaches AWSLambdaVPCAccessExecutionRole. */
  private anyFunctionInVpc(): boolean {
    // provider.vpc would too, but the service definition does not carry it.
    return Object.values(this.service.functions).some((fn) => fn.settingsNotRead?.includes('vpc') === true);
  }

  // -------------------------------------------------------------------------------------------------------
  // serverless-iam-roles-per-function's role for a function with `iamRoleStatements`.

  private pluginRole(fn: FunctionDefinition): Role {
    const where = `functions.${fn.key}.iamRoleStatements`;
    const settings = this.provider.kind === 'created' ? this.provider.settings : {};
    if (this.provider.kind === 'existing') {
      this.warnings.push(
        `${where}: ${PLUGIN} builds the function's role from the one the framework creates, which provider.iam.role (an existing role) turns off, so the deploy fails; local-cloud gives the function the role the plugin would. Fix: remove iamRoleStatements, or give the role's ARN to the function's role: instead`,
      );
    }
    const roleName = fn.iam?.roleName ?? this.pluginRoleName(fn.key, settings);
    const pluginStatements = [
      this.pluginLogStatement(fn),
      ...this.streamEventStatements(fn, 'plugin'),
      ...ifAny(this.sqsQueuesOf(fn), (queues) => sqsReceiveStatement(queues)),
      ...this.pluginOnErrorStatement(fn),
    ];
    const policies: NamedPolicy[] = [
      this.policy(
        `${PLUGIN}: its statements for ${fn.key} (CloudWatch Logs, events, onError)`,
        pluginStatements,
      ),
    ];
    if (this.inheritsProviderStatements(fn) && settings.statements !== undefined) {
      policies.push(
        this.policy(PROVIDER_STATEMENTS, this.statementList(settings.statements, PROVIDER_STATEMENTS)),
      );
    }
    policies.push(this.policy(where, this.statementList(fn.iam?.statements ?? [], where)));
    // The plugin empties ManagedPolicyArns: the provider's managed policies are not inherited.
    if (fn.settingsNotRead?.includes('vpc') === true)
      policies.push(...this.managedPolicies([VPC_ACCESS_POLICY], `functions.${fn.key}.vpc`));
    policies.push(...this.attachedPolicies(`${normalizedName(fn.key)}${SHARED_ROLE_LOGICAL_ID}`, roleName));
    return {
      roleName,
      roleArn: this.roleArn(this.rolePath(settings), roleName),
      policies: policies.filter((policy) => policy.document.Statement.length > 0),
      declaredAt: where,
    };
  }

  /**
   * The plugin's getFunctionRoleName(): the framework's role name with the function's key inserted,
   * `<service>-<stage>-<key>-<region>-lambdaRole`; over 64 characters `-lambdaRole` is dropped, and if that
   * is not enough the plugin refuses.
   */
  private pluginRoleName(key: string, settings: Record<string, unknown>): string {
    const { service, provider } = this.service;
    if (settings.name !== undefined) {
      this.warnings.push(
        `functions.${key}.iamRoleStatements: with provider.iam.role.name set, ${PLUGIN} cannot derive the function's role name ("Global Role Name is not in expected format"), so the deploy fails. Fix: set iamRoleStatementsName on the function`,
      );
    }
    const parts = [service, provider.stage, key, provider.region, 'lambdaRole'];
    if (parts.join('-').length > ROLE_NAME_LIMIT) parts.pop();
    const name = parts.join('-');
    if (name.length <= ROLE_NAME_LIMIT) return name;
    this.warnings.push(
      `functions.${key}.iamRoleStatements: the role name ${PLUGIN} generates, ${name}, is over ${ROLE_NAME_LIMIT} characters even without -lambdaRole, so the plugin refuses it and the deploy fails; local-cloud uses its first ${ROLE_NAME_LIMIT} characters. Fix: set iamRoleStatementsName on the function`,
    );
    return name.slice(0, ROLE_NAME_LIMIT);
  }

  /** The plugin's one log statement, for the function's own log group. */
  private pluginLogStatement(fn: FunctionDefinition): PolicyStatement {
    return {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents'],
      Resource: [`${this.logGroupArn(`/aws/lambda/${fn.name}`)}:*:*`],
    };
  }

  /** The plugin adds sns:Publish on `onError` whatever it is (an intrinsic too). */
  private pluginOnErrorStatement(fn: FunctionDefinition): PolicyStatement[] {
    const target = fn.deadLetterTarget;
    if (target === undefined) return [];
    const intrinsic = intrinsicOf(target);
    const arn =
      intrinsic === undefined ? target : this.resolveString(intrinsic, `functions.${fn.key}.onError`);
    return arn === undefined ? [] : [{ Effect: 'Allow', Action: ['sns:Publish'], Resource: arn }];
  }

  /** `iamRoleStatementsInherit: true`, or the plugin's `custom.serverless-iam-roles-per-function.defaultInherit`. */
  private inheritsProviderStatements(fn: FunctionDefinition): boolean {
    if (fn.iam?.inherit === true) return true;
    const custom = this.service.custom[PLUGIN];
    // An explicit `iamRoleStatementsInherit: false` would opt out of defaultInherit, but the service definition
    // keeps only `true`.
    return isRecord(custom) && custom.defaultInherit === true;
  }

  // -------------------------------------------------------------------------------------------------------
  // A role named by `role:` (the function's, or the provider's existing role).

  private referencedRole(reference: unknown, where: string): Role {
    const logicalId = logicalIdOf(reference);
    // `role: IamRoleLambdaExecution` names the framework's own role (when it creates one).
    if (
      logicalId === SHARED_ROLE_LOGICAL_ID &&
      !this.isDeclaredRole(logicalId) &&
      this.provider.kind === 'created'
    ) {
      this.shared ??= this.sharedRole();
      return this.shared;
    }
    if (logicalId !== undefined) return this.roleFromResources(logicalId, where);
    const arn = typeof reference === 'string' ? reference : this.resolveString(reference, where);
    if (arn === undefined) {
      return this.unknownRole(
        'unresolved-role',
        this.roleArn('/', 'unresolved-role'),
        where,
        `${where} could not be resolved, so local-cloud does not know which role the function has`,
      );
    }
    const roleName = arn.split('/').pop() ?? arn;
    const declared = this.roleResources().find(
      ({ properties, logicalId: id }) => this.resourceRoleName(id, properties) === roleName,
    );
    if (declared !== undefined) return this.roleFromResources(declared.logicalId, where);
    return this.unknownRole(
      roleName,
      arn,
      where,
      `${where} is the existing role ${arn}, which is not declared in resources.Resources: its policies live in IAM, where local-cloud cannot read them, so its calls are allowed`,
    );
  }

  private unknownRole(roleName: string, roleArn: string, declaredAt: string, why: string): Role {
    return { roleName, roleArn, policies: [], declaredAt, unknownPolicies: why };
  }

  private roleResources(): { logicalId: string; properties: Record<string, unknown> }[] {
    return resourcesOfType(this.resources, 'AWS::IAM::Role');
  }

  private roleFromResources(logicalId: string, where: string): Role {
    const cached = this.resourceRoles.get(logicalId);
    if (cached !== undefined) return cached;
    const declared = this.roleResources().find((role) => role.logicalId === logicalId);
    if (declared === undefined) {
      this.warnings.push(
        `${where} names ${logicalId}, which is not an AWS::IAM::Role in resources.Resources, so the deploy fails. Fix: declare the role there, or give its ARN`,
      );
      return this.unknownRole(
        logicalId,
        this.roleArn('/', logicalId),
        where,
        `${where} names ${logicalId}, which is not declared in resources.Resources`,
      );
    }
    const role = this.resourceRole(logicalId, declared.properties);
    this.resourceRoles.set(logicalId, role);
    return role;
  }

  private resourceRole(logicalId: string, properties: Record<string, unknown>): Role {
    const where = `resources.Resources.${logicalId}`;
    const roleName = this.resourceRoleName(logicalId, properties);
    const path =
      properties.Path === undefined ? '/' : (this.resolveString(properties.Path, `${where}.Path`) ?? '/');
    const inline = Array.isArray(properties.Policies) ? (properties.Policies as unknown[]) : [];
    const policies = [
      ...inline.flatMap((policy, index) => this.inlinePolicy(policy, `${where}.Policies[${index}]`)),
      ...this.managedPolicies(
        Array.isArray(properties.ManagedPolicyArns) ? properties.ManagedPolicyArns : [],
        `${where}.ManagedPolicyArns`,
      ),
      ...this.attachedPolicies(logicalId, roleName),
    ];
    if (properties.PermissionsBoundary !== undefined) {
      this.warnings.push(
        `${where}.PermissionsBoundary is not applied by local-cloud: calls the boundary would deny on AWS are allowed here`,
      );
    }
    return {
      roleName,
      roleArn: this.roleArn(path, roleName),
      policies: policies.filter((policy) => policy.document.Statement.length > 0),
      declaredAt: where,
    };
  }

  /** `RoleName`, or the name CloudFormation generates (`<stack>-<LogicalId>-<suffix>`, cut to IAM's limit). */
  private resourceRoleName(logicalId: string, properties: Record<string, unknown>): string {
    const given =
      properties.RoleName === undefined
        ? undefined
        : this.resolveString(properties.RoleName, `resources.Resources.${logicalId}.RoleName`);
    return given ?? generatedPhysicalName(this.stackName(), logicalId).slice(-ROLE_NAME_LIMIT);
  }

  private stackName(): string {
    return `${this.service.service}-${this.service.provider.stage}`;
  }

  private inlinePolicy(policy: unknown, where: string): NamedPolicy[] {
    if (!isRecord(policy)) return [];
    const name = typeof policy.PolicyName === 'string' ? `${where} (${policy.PolicyName})` : where;
    return [this.documentPolicy(name, policy.PolicyDocument, `${where}.PolicyDocument`)];
  }

  // -------------------------------------------------------------------------------------------------------
  // Policies attached from elsewhere in resources, and managed policies.

  /**
   * AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources whose `Roles` name this role (`{Ref: <id>}`, whose
   * value is the role's name, or the name itself), and AWS::IAM::RolePolicy resources whose `RoleName` does.
   */
  private attachedPolicies(logicalId: string, roleName: string): NamedPolicy[] {
    const names = (value: unknown, where: string): boolean =>
      this.namesRole(value, logicalId, roleName, where);
    const byRoles = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
      resourcesOfType(this.resources, type).filter(
        ({ logicalId: id, properties }) =>
          Array.isArray(properties.Roles) &&
          properties.Roles.some((entry, index) => names(entry, `resources.Resources.${id}.Roles[${index}]`)),
      ),
    );
    const byRoleName = resourcesOfType(this.resources, 'AWS::IAM::RolePolicy').filter(
      ({ logicalId: id, properties }) => names(properties.RoleName, `resources.Resources.${id}.RoleName`),
    );
    return [...byRoles, ...byRoleName].map(({ logicalId: id, properties }) =>
      this.documentPolicy(
        `resources.Resources.${id}`,
        properties.PolicyDocument,
        `resources.Resources.${id}.PolicyDocument`,
      ),
    );
  }

  private namesRole(value: unknown, logicalId: string, roleName: string, where: string): boolean {
    if (isRecord(value) && value.Ref === logicalId) return true;
    // A Ref to another role stands for that role's name, which is not this one's unless both set the same.
    if (isRecord(value) && typeof value.Ref === 'string' && this.isDeclaredRole(value.Ref)) {
      return this.resourceRoleName(value.Ref, this.roleProperties(value.Ref)) === roleName;
    }
    const name = typeof value === 'string' ? value : this.resolveQuietly(value);
    if (name === undefined && value !== undefined) {
      this.warnings.push(
        `${where} is ${JSON.stringify(value)}, which local-cloud cannot resolve, so it does not know whether the policy is attached to ${roleName}`,
      );
    }
    return name === roleName;
  }

  private isDeclaredRole(logicalId: string): boolean {
    return this.roleResources().some((role) => role.logicalId === logicalId);
  }

  private roleProperties(logicalId: string): Record<string, unknown> {
    return this.roleResources().find((role) => role.logicalId === logicalId)?.properties ?? {};
  }

  /** Each managed policy ARN of a list (`provider.iam.role.managedPolicies`, a role's `ManagedPolicyArns`). */
  private managedPolicies(values: unknown[], where: string): NamedPolicy[] {
    return values.flatMap((value, index) => this.managedPolicy(value, `${where}[${index}]`));
  }

  private managedPolicy(value: unknown, where: string): NamedPolicy[] {
    // `Ref` of an AWS::IAM::ManagedPolicy is its ARN, which exists only once deployed: read the resource.
    if (isRecord(value) && typeof value.Ref === 'string') {
      const declared = resourcesOfType(this.resources, 'AWS::IAM::ManagedPolicy').find(
        ({ logicalId }) => logicalId === value.Ref,
      );
      if (declared !== undefined)
        return [this.customerManagedPolicy(declared.logicalId, declared.properties)];
    }
    const arn = typeof value === 'string' ? value : this.resolveString(value, where);
    if (arn === undefined) return [];
    if (isAwsManagedPolicyArn(arn)) return this.awsManagedPolicy(arn, where);
    const name = arn.split('/').pop();
    const declared = resourcesOfType(this.resources, 'AWS::IAM::ManagedPolicy').find(
      ({ logicalId, properties }) => this.managedPolicyName(logicalId, properties) === name,
    );
    if (declared !== undefined) return [this.customerManagedPolicy(declared.logicalId, declared.properties)];
    this.warnings.push(
      `${where}: local-cloud does not know the managed policy ${arn}; the role gets nothing from it. Fix: declare it as an AWS::IAM::ManagedPolicy in resources.Resources, or write its statements in the role's statements`,
    );
    return [];
  }

  private awsManagedPolicy(arn: string, where: string): NamedPolicy[] {
    const document = awsManagedPolicy(arn);
    if (document !== undefined) return [{ name: arn, document }];
    const sameName = awsManagedPolicyWithName(arn);
    const fix =
      sameName !== undefined
        ? `AWS has it as ${sameName}`
        : `use one it knows (${knownAwsManagedPolicies()
            .map((known) => known.split('/').pop())
            .join(', ')}), or write the statements you need in the role's statements`;
    this.warnings.push(
      `${where}: local-cloud does not know the managed policy ${arn}; the role gets nothing from it. Fix: ${fix}`,
    );
    return [];
  }

  private managedPolicyName(logicalId: string, properties: Record<string, unknown>): string {
    const given =
      properties.ManagedPolicyName === undefined
        ? undefined
        : this.resolveString(
            properties.ManagedPolicyName,
            `resources.Resources.${logicalId}.ManagedPolicyName`,
          );
    return given ?? generatedPhysicalName(this.stackName(), logicalId);
  }

  private customerManagedPolicy(logicalId: string, properties: Record<string, unknown>): NamedPolicy {
    const where = `resources.Resources.${logicalId}`;
    return this.documentPolicy(where, properties.PolicyDocument, `${where}.PolicyDocument`);
  }

  // -------------------------------------------------------------------------------------------------------
  // Documents and statements, with their intrinsics resolved.

  private policy(name: string, statements: PolicyStatement[]): NamedPolicy {
    return { name, document: { Version: VERSION, Statement: statements } };
  }

  /** A policy document as CloudFormation holds it (an object or JSON text, `Statement` one or a list). */
  private documentPolicy(name: string, document: unknown, where: string): NamedPolicy {
    const parsed = typeof document === 'string' ? parseJsonQuietly(document) : document;
    if (!isRecord(parsed) || parsed.Statement === undefined) {
      this.warnings.push(
        `${where} is not a policy document with a Statement, so the role gets nothing from it`,
      );
      return this.policy(name, []);
    }
    const list = Array.isArray(parsed.Statement) ? (parsed.Statement as unknown[]) : [parsed.Statement];
    const statements = this.statementList(list, `${where}.Statement`);
    const version = typeof parsed.Version === 'string' ? parsed.Version : undefined;
    return { name, document: { ...(version !== undefined && { Version: version }), Statement: statements } };
  }

  /** Statements as serverless.yml or a template writes them, each resolved and checked as IAM would. */
  private statementList(statements: unknown, where: string): PolicyStatement[] {
    if (!Array.isArray(statements)) {
      this.warnings.push(`${where} is not a list of statements, so the role gets nothing from it`);
      return [];
    }
    const list = statements.flatMap((statement, index) => this.statement(statement, `${where}[${index}]`));
    const sids = list.flatMap((statement) => (statement.Sid === undefined ? [] : [statement.Sid]));
    if (new Set(sids).size !== sids.length) {
      this.warnings.push(
        `${where}: IAM refuses a policy whose statements repeat a Sid ("Statement IDs (SID) in a single policy must be unique."), so the deploy fails. Fix: give each statement its own Sid`,
      );
    }
    return list;
  }

  private statement(raw: unknown, where: string): PolicyStatement[] {
    const resolved = this.resolvedStatement(raw, where);
    if (resolved === undefined) return [];
    try {
      return parseStatements([resolved], where).Statement;
    } catch (error) {
      if (!(error instanceof MalformedPolicyDocumentError)) throw error;
      this.warnings.push(
        `${error.where}: IAM refuses this statement (${error.reason}), so the deploy fails; local-cloud leaves it out`,
      );
      return [];
    }
  }

  /**
   * The statement with every intrinsic resolved. What cannot be is left out; if that empties Action or
   * Resource, or touches a Condition (a condition that cannot be evaluated cannot be met), the whole
   * statement is left out, so it never grants more than written.
   */
  private resolvedStatement(raw: unknown, where: string): unknown {
    if (!isRecord(raw)) return raw;
    const result: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(raw)) {
      const unresolved: string[] = [];
      const resolved = resolveDeep(value, this.options.resolveValue, `${where}.${field}`, unresolved);
      const emptied =
        resolved === DROPPED ||
        (Array.isArray(resolved) && resolved.length === 0 && !(Array.isArray(value) && value.length === 0));
      if (unresolved.length > 0 && (field === 'Condition' || emptied)) {
        this.warnings.push(
          `${unresolvedMessage(unresolved)}; local-cloud leaves the whole statement ${where} out`,
        );
        return undefined;
      }
      if (unresolved.length > 0)
        this.warnings.push(
          `${unresolvedMessage(unresolved)}; local-cloud leaves ${unresolved.length === 1 ? 'it' : 'them'} out of the statement`,
        );
      if (resolved !== DROPPED) result[field] = resolved;
    }
    return result;
  }

  /** A value that must be one string (a name, an ARN); a warning says where when it cannot be resolved. */
  private resolveString(value: unknown, where: string): string | undefined {
    if (typeof value === 'string') return value;
    const resolved = this.resolveQuietly(value);
    if (resolved === undefined) {
      this.warnings.push(
        `${unresolvedMessage([`${where} is ${JSON.stringify(value)}`])}; local-cloud leaves it out`,
      );
    }
    return resolved;
  }

  private resolveQuietly(value: unknown): string | undefined {
    if (typeof value === 'string') return value;
    return isIntrinsic(value) ? this.options.resolveValue(value) : undefined;
  }
}

/** What the framework adds when a function has `vpc:`, written as it writes it. */
const VPC_ACCESS_POLICY = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
  ],
};

function unresolvedMessage(unresolved: string[]): string {
  return `${unresolved.join(', ')}, which ${unresolved.length === 1 ? 'names' : 'name'} something local-cloud does not create or cannot resolve (it emulates tables, buckets, topics, queues, secrets, parameters, functions and the WebSocket API)`;
}

/** A role named by its logical id: a string that is not an ARN, or `Fn::GetAtt: [<id>, Arn]`. */
function logicalIdOf(reference: unknown): string | undefined {
  if (typeof reference === 'string') return reference.startsWith('arn:') ? undefined : reference;
  if (!isRecord(reference)) return undefined;
  const getAtt = reference['Fn::GetAtt'];
  const parts: unknown[] =
    typeof getAtt === 'string' ? getAtt.split('.') : Array.isArray(getAtt) ? getAtt : [];
  return parts.length === 2 && typeof parts[0] === 'string' && parts[1] === 'Arn' ? parts[0] : undefined;
}

/** The framework's getNormalizedFunctionName(): `resize-image` is `ResizeDashimage`. */
function normalizedName(functionKey: string): string {
  return functionLogicalId(functionKey).slice(0, -'LambdaFunction'.length);
}

/** The events of one type (`sqs`, `stream`, ...), each with its value and index in `events`. */
function eventsOfType(fn: FunctionDefinition, type: string): { event: unknown; index: number }[] {
  return fn.events.flatMap((event, index) => (type in event ? [{ event: event[type], index }] : []));
}

function sqsReceiveStatement(queues: string[]): PolicyStatement {
  return {
    Effect: 'Allow',
    Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
    Resource: queues,
  };
}

/** The statement for a list of resources, or none when the list is empty (IAM refuses an empty Resource). */
function ifAny(resources: string[], statement: (list: string[]) => PolicyStatement): PolicyStatement[] {
  return resources.length === 0 ? [] : [statement(resources)];
}

/** ensureTargetExecutionPermission()'s action for a destination, by what its ARN names. */
function destinationAction(arn: string): string | undefined {
  if (arn.includes(':function:')) return 'lambda:InvokeFunction';
  if (arn.includes(':sqs:')) return 'sqs:SendMessage';
  if (arn.includes(':sns:')) return 'sns:Publish';
  if (arn.includes(':event-bus/')) return 'events:PutEvents';
  return undefined;
}
