// Whether a queue's or a topic's resource policy lets an AWS service deliver to it, as AWS decides when S3
// sends an event notification, SNS sends to a subscribed queue, or EventBridge invokes a rule's target. The
// service acts as its service principal (`s3.amazonaws.com`, `sns.amazonaws.com`, `events.amazonaws.com`),
// not as the account, so only the target's own policy can allow it: a queue has none by default and a topic's
// default policy allows only its owner's principals (`AWS:SourceOwner`), which a service is not
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html,
// https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html,
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html). The request carries
// aws:SourceArn (the bucket, topic or rule) and aws:SourceAccount, which policies usually test.
//
// Also here, because every receiver needs it: a declared policy document (AWS::SQS::QueuePolicy,
// AWS::SNS::TopicPolicy) with its CloudFormation references resolved, and what a refusal looks like in the log.
import { parseJsonQuietly, resolveDeep } from './resolve-deep';
import type { ServiceDefinition } from '../config/service-definition';
import { queueReferences } from '../cloudformation/queue-references';
import {
  generatedPhysicalName,
  isRecord,
  resolveValue,
  resourcesOfType,
  type CloudFormationContext,
} from '../cloudformation/values';
import { localResources } from '../platform/resolve-intrinsics';
import type { IamMode } from './authorizer';
import { MalformedPolicyDocumentError, parsePolicyDocument } from './policy-document';
import { createPolicyEvaluator, type PolicyEvaluator } from './policy-evaluation';

/** Who delivers, and on behalf of which resource: what the target's policy is asked about. */
export interface DeliverySource {
  /** The service principal: `s3.amazonaws.com`, `sns.amazonaws.com`, `events.amazonaws.com`. */
  service: string;
  /** aws:SourceArn: the bucket (`arn:aws:s3:::photos`), the topic or the rule. */
  sourceArn: string;
  /** aws:SourceAccount: the account that owns the source. */
  sourceAccount: string;
}

export interface DeliveryCheck extends DeliverySource {
  /** `sqs:SendMessage` or `SNS:Publish`. */
  action: string;
  /** The queue's or topic's ARN. */
  targetArn: string;
}

export type DeliveryVerdict =
  | { allowed: true }
  /** `reason` says why, `fix` what to change: the statement to add, or the Deny to narrow. */
  | { allowed: false; reason: string; fix: string };

/** The action a delivery to this ARN needs, by the receiving service. */
export function deliveryAction(targetArn: string): string {
  return targetArn.split(':')[2] === 'sns' ? 'SNS:Publish' : 'sqs:SendMessage';
}

/** Decides one delivery against the target's policy (JSON text; undefined: it has none). */
export function deliveryAllowed(policy: string | undefined, check: DeliveryCheck): DeliveryVerdict {
  const kind = targetKind(check.targetArn);
  if (policy === undefined || policy === '') {
    return refused(`the ${kind} has no policy, so only its own account's principals may use it`, check);
  }
  const evaluator = evaluatorOf(policy);
  if (typeof evaluator === 'string') {
    return refused(`the ${kind}'s policy cannot be read (${evaluator}), so it allows nothing`, check);
  }
  const decision = evaluator(
    {
      action: check.action,
      resource: check.targetArn,
      // Services deliver over TLS: a "Deny unless aws:SecureTransport" statement does not stop them.
      context: {
        'aws:SourceArn': check.sourceArn,
        'aws:SourceAccount': check.sourceAccount,
        'aws:SecureTransport': 'true',
      },
    },
    { arn: check.service, service: check.service, accountId: check.sourceAccount },
  );
  if (decision.effect === 'allow') return { allowed: true };
  if (decision.effect === 'explicit-deny') {
    const { statement } = decision.by;
    return {
      allowed: false,
      reason: `${statement} of the ${kind}'s policy denies ${check.service} ${check.action} explicitly`,
      fix: `narrow or remove that Deny statement (no Allow overrides an explicit Deny)`,
    };
  }
  return refused(
    `no statement of the ${kind}'s policy allows ${check.service} to ${check.action} with aws:SourceArn ${check.sourceArn}`,
    check,
  );
}

function refused(reason: string, check: DeliveryCheck): DeliveryVerdict {
  const kind = targetKind(check.targetArn);
  const where =
    kind === 'queue'
      ? "the queue's policy (PolicyDocument.Statement of an AWS::SQS::QueuePolicy whose Queues lists it, or its Policy attribute)"
      : "the topic's policy (PolicyDocument.Statement of an AWS::SNS::TopicPolicy whose Topics lists it, or its Policy attribute; it replaces the default policy)";
  return { allowed: false, reason, fix: `add to ${where} the statement ${allowStatement(check)}` };
}

/** The statement that allows this delivery, in YAML flow style, to paste into serverless.yml's resources. */
export function allowStatement(check: DeliveryCheck): string {
  return `{ Effect: Allow, Principal: { Service: ${check.service} }, Action: ${check.action}, Resource: ${check.targetArn}, Condition: { ArnEquals: { aws:SourceArn: ${check.sourceArn} } } }`;
}

function targetKind(arn: string): 'queue' | 'topic' {
  return arn.split(':')[2] === 'sns' ? 'topic' : 'queue';
}

// Policies change rarely and a busy queue is delivered to often: each text is compiled once.
const evaluators = new Map<string, PolicyEvaluator | string>();
const MAX_CACHED = 200;

function evaluatorOf(policy: string): PolicyEvaluator | string {
  let evaluator = evaluators.get(policy);
  if (evaluator === undefined) {
    evaluator = compile(policy);
    if (evaluators.size >= MAX_CACHED) evaluators.clear();
    evaluators.set(policy, evaluator);
  }
  return evaluator;
}

/** The evaluator, or IAM's reason the document is malformed. */
function compile(policy: string): PolicyEvaluator | string {
  try {
    const document = parsePolicyDocument(policy, 'resource policy');
    return createPolicyEvaluator([{ name: 'resource policy', document }], 'resource');
  } catch (error) {
    if (error instanceof MalformedPolicyDocumentError) return error.message;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// What a receiver does with a verdict, by IAM mode.

/** A delivery AWS refuses: the sender logs its message (reason and fix) as a failed delivery. */
export class DeliveryRefusedError extends Error {
  constructor(
    readonly targetArn: string,
    readonly reason: string,
    readonly fix: string,
  ) {
    super(`AWS refuses this delivery: ${reason}. Fix: ${fix}`);
    this.name = 'DeliveryRefusedError';
  }
}

/**
 * Applies the IAM mode to a verdict: `enforce` (the default, as AWS) throws DeliveryRefusedError, `warn` logs
 * what AWS would refuse and lets the delivery through, `off` lets everything through.
 */
export function admitDelivery(
  verdict: DeliveryVerdict,
  check: DeliveryCheck,
  mode: IamMode | undefined,
  log: (line: string) => void,
): void {
  if (verdict.allowed || mode === 'off') return;
  if (mode === 'warn') {
    log(
      `warning: delivered (--iam warn), but AWS refuses ${check.service} ${check.action} to ${check.targetArn}: ${verdict.reason}. Fix: ${verdict.fix}`,
    );
    return;
  }
  throw new DeliveryRefusedError(check.targetArn, verdict.reason, verdict.fix);
}

// ---------------------------------------------------------------------------------------------------------
// Declared policy documents.

export interface ResolvedPolicy {
  /**
   * The document as JSON text, statements that refer to something local-cloud cannot resolve left out;
   * undefined when IAM would refuse it (the deploy fails, and the resource keeps the policy it had).
   */
  policy?: string;
  warnings: string[];
}

/**
 * A resource policy's document as CloudFormation would store it: every `Ref`, `Fn::GetAtt`, `Fn::Sub` and
 * `Fn::Join` resolved against the resources local-cloud creates (buckets, topics, queues, rules, ...). A
 * statement with a value that cannot be resolved is left out, with a warning: it then grants nothing.
 */
export function resolvePolicyDocument(
  document: unknown,
  where: string,
  context: CloudFormationContext,
): ResolvedPolicy {
  const warnings: string[] = [];
  const parsed = typeof document === 'string' ? parseJsonQuietly(document) : document;
  if (!isRecord(parsed) || parsed.Statement === undefined) {
    return {
      warnings: [
        `${where} is not a policy document with a Statement, so the deploy fails; local-cloud sets no policy from it`,
      ],
    };
  }
  const list: unknown[] = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const statements = list.flatMap((statement, index) => {
    const unresolved: string[] = [];
    const resolved = resolveDeep(
      statement,
      (intrinsic) => {
        const result = resolveValue(intrinsic, context);
        return 'value' in result ? result.value : { unresolved: result.unresolved };
      },
      `${where}.Statement[${index}]`,
      unresolved,
    );
    if (unresolved.length === 0) return [resolved];
    warnings.push(
      `${unresolved.join('; ')}: local-cloud cannot resolve it, so it leaves that statement out of the policy`,
    );
    return [];
  });
  const policy = JSON.stringify({ ...parsed, Statement: statements });
  const malformed = malformedReason(policy);
  if (malformed === undefined) return { policy, warnings };
  warnings.push(
    `${where}: IAM refuses this policy (${malformed}), so the deploy fails; local-cloud sets no policy from it`,
  );
  return { warnings };
}

function malformedReason(policy: string): string | undefined {
  const compiled = evaluatorOf(policy);
  return typeof compiled === 'string' ? compiled : undefined;
}

/**
 * What resource policies refer to, as a deployment resolves it: the buckets, topics, functions, tables, ...
 * local-cloud creates (resolve-intrinsics.ts), the queues (`Ref` their URL, `Fn::GetAtt` their Arn), and the
 * AWS::Events::Rule resources (`Fn::GetAtt [Rule, Arn]`, what a policy for EventBridge names).
 */
export function policyReferences(
  service: ServiceDefinition,
  account: { region: string; accountId: string },
): CloudFormationContext {
  let others: ReturnType<typeof localResources> | undefined;
  const resources = () => (others ??= localResources({ service, ...account }));
  const queues = queueReferences(service, account);
  const rules = ruleArns(service, account, queues);
  return {
    ...queues,
    ref: (logicalId) => resources()[logicalId]?.ref ?? queues.ref?.(logicalId) ?? rules.get(logicalId)?.name,
    getAtt: (logicalId, attribute) =>
      resources()[logicalId]?.attributes[attribute] ??
      queues.getAtt?.(logicalId, attribute) ??
      (attribute === 'Arn' ? rules.get(logicalId)?.arn : undefined),
  };
}

/** AWS::Events::Rule ARNs: `rule/<name>` on the default bus, `rule/<bus>/<name>` on another. */
function ruleArns(
  service: ServiceDefinition,
  account: { region: string; accountId: string },
  names: CloudFormationContext,
): Map<string, { name: string; arn: string }> {
  const buses = new Map(
    resourcesOfType(service.resources, 'AWS::Events::EventBus').flatMap(({ logicalId, properties }) => {
      const name = resolveValue(properties.Name, names);
      return 'value' in name ? [[logicalId, name.value] as const] : [];
    }),
  );
  const busContext: CloudFormationContext = { ...names, ref: (logicalId) => buses.get(logicalId) };
  const rules = new Map<string, { name: string; arn: string }>();
  for (const { logicalId, properties } of resourcesOfType(service.resources, 'AWS::Events::Rule')) {
    const given = resolveValue(properties.Name, names);
    const name = 'value' in given ? given.value : generatedPhysicalName(names.stackName, logicalId);
    const busValue = resolveValue(properties.EventBusName, busContext);
    const bus = 'value' in busValue ? busValue.value.split('/').pop() : undefined;
    const path = bus === undefined || bus === 'default' ? name : `${bus}/${name}`;
    rules.set(logicalId, { name, arn: `arn:aws:events:${account.region}:${account.accountId}:rule/${path}` });
  }
  return rules;
}

/** What sets a resource's Policy attribute in CloudFormation: a topic's or a queue's policy resource. */
export interface PolicyResourceKind {
  /** `AWS::SNS::TopicPolicy`, `AWS::SQS::QueuePolicy`. */
  type: string;
  /** The property listing the resources it applies to: `Topics` (ARNs), `Queues` (URLs). */
  listProperty: string;
  /** `topic`, `queue`: for the warnings. */
  noun: string;
  /** The key a listed value is kept under (a queue URL's name, a topic's ARN as it is). */
  keyOf: (listed: string) => string;
}

/**
 * The Policy attribute (JSON text) that a service's policy resources of one kind give each resource they
 * list, as CloudFormation sets it: a resource listed twice gets the last one's, since each replaces the
 * attribute. A document or a listed value that cannot be resolved sets nothing, with a warning.
 */
export function declaredPolicies(
  service: ServiceDefinition,
  account: { region: string; accountId: string },
  kind: PolicyResourceKind,
): { byKey: Map<string, string>; warnings: string[] } {
  const byKey = new Map<string, string>();
  const warnings: string[] = [];
  const resources = resourcesOfType(service.resources, kind.type);
  if (resources.length === 0) return { byKey, warnings };
  const context = policyReferences(service, account);
  for (const { logicalId, properties } of resources) {
    const where = `resources.Resources.${logicalId}.Properties`;
    const resolved = resolvePolicyDocument(properties.PolicyDocument, `${where}.PolicyDocument`, context);
    warnings.push(...resolved.warnings);
    const listed = properties[kind.listProperty];
    const targets: unknown[] = Array.isArray(listed) ? listed : [];
    if (targets.length === 0) {
      warnings.push(`${where}.${kind.listProperty} lists no ${kind.noun}: the policy applies to none`);
    }
    targets.forEach((target, index) => {
      const value = resolveValue(target, context);
      if ('unresolved' in value) {
        warnings.push(
          `${where}.${kind.listProperty}[${index}]: ${value.unresolved}; the policy is not set on it`,
        );
        return;
      }
      if (resolved.policy !== undefined) byKey.set(kind.keyOf(value.value), resolved.policy);
    });
  }
  return { byKey, warnings };
}
