// Amazon SNS on the AWS endpoint (or a port of its own), for `@aws-sdk/client-sns` pointed at it: the Query
// protocol (form-encoded POST, XML answers), SigV4-verified against local-cloud's key pair. Topics come from
// the service's `sns` events and CloudFormation, and from CreateTopic; Publish fans out to every subscribed
// function through the AsyncInvoker.
import type { Denial } from '../../iam/authorizer';
import { accessDeniedMessage, deniedCall } from '../../iam/denial-messages';
import { snsAuthorizationRequests } from '../../iam/requests';
import { serviceDataDir, signatureCheckFor, type AwsServiceOptions } from '../../common/service-options';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AsyncInvoker } from '../../event-sources/async-invoker';
import { internalErrorMessage, logInternalError, type Log } from '../../http/internal-errors';
import { closingOnFailure, serviceListener, urlHost } from '../../http-listener';
import type { DeliverToTarget } from '../../platform/targets';
import type { createSignatureCheck } from '../../protocol/signature-errors';
import { ACCOUNT_ID } from '../../common/account';
import { declaredMessaging } from './declared-topics';
import { declaredTopicPolicies } from './declared-topic-policies';
import {
  admitDelivery,
  deliveryAllowed,
  type DeliveryCheck,
  type DeliverySource,
  type DeliveryVerdict,
} from '../../iam/delivery-policy';
import type { MessageAttributeValue } from './filter-policy';
import {
  fromSignatureError,
  invalidParameter,
  parseQueryBody,
  readEntries,
  renderError,
  renderResponse,
  SnsError,
  type QueryParameters,
  type XmlValue,
} from './query-protocol';
import { SnsTopics, type PublishResult, type Subscription, type Topic } from './sns-topics';
import { readCappedBody } from '../../protocol/read-body';

export type { MessageAttributeValue } from './filter-policy';
export type { PublishResult, Subscription, Topic } from './sns-topics';
export { SnsError } from './query-protocol';

export interface SnsServiceOptions extends AwsServiceOptions {
  asyncInvoker: AsyncInvoker;
  /** Sends to SQS subscribers (the platform's deliver); without it, sqs subscriptions are refused. */
  deliver?: DeliverToTarget;
}

export interface SnsService {
  /** `http://127.0.0.1:<port>`: the AWS endpoint. */
  url: string;
  /** What serverless.yml declares that local-cloud cannot honour (non-Lambda subscriptions, unknown refs). */
  warnings: string[];
  /**
   * Publishes as the Publish API does, for in-process callers (S3 TopicConfigurations). Returns the message
   * id; throws SnsError (`NotFound` for an unknown topic, `InvalidParameter` for a message SNS refuses).
   */
  publish(
    topicArn: string,
    message: string,
    subject?: string,
    attributes?: Record<string, MessageAttributeValue>,
  ): string;
  /** The ARN of a topic named by its CloudFormation logical id, its name or its ARN, if it exists. */
  topicArnOf(reference: string): string | undefined;
  listTopics(): Topic[];
  listSubscriptions(topicArn?: string): Subscription[];
  /** What the topic's policy says of `source` publishing to it now (S3, EventBridge deliveries). */
  deliveryVerdict(topicArn: string, source: DeliverySource): DeliveryVerdict;
  /**
   * Checks a delivery from `source` as the IAM mode says: throws DeliveryRefusedError when AWS refuses it
   * (enforce), logs it (warn), or lets it through (off).
   */
  admitDelivery(topicArn: string, source: DeliverySource): void;
  stop(): Promise<void>;
}

/** Form bodies above this are refused before parsing: four times the largest message SNS accepts. */
const MAX_BODY_BYTES = 1024 * 1024;

export async function createSnsService(options: SnsServiceOptions): Promise<SnsService> {
  const host = options.host ?? '127.0.0.1';
  const account = { region: options.region, accountId: options.accountId ?? ACCOUNT_ID };
  const declared = declaredMessaging(options.service, account);
  const policies = declaredTopicPolicies(options.service, account);
  [...declared.warnings, ...policies.warnings].forEach((warning) =>
    options.log?.(`warning: SNS: ${warning}`),
  );
  const listener = await serviceListener(options, host, 'SNS');
  const url = `http://${urlHost(host)}:${listener.port}`;
  const topics = await closingOnFailure(
    listener,
    () =>
      new SnsTopics(
        {
          account,
          asyncInvoker: options.asyncInvoker,
          deliver: options.deliver,
          topicPolicies: policies.byTopic,
          serviceUrl: () => url,
          dataDir: serviceDataDir(options, 'sns'),
          now: options.now,
          log: options.log,
        },
        declared,
      ),
  );
  const verifySignature = signatureCheckFor(options, 'sns');
  const log = options.log ?? (() => {});
  const authorize: AuthorizeAction = (req, action, parameters) =>
    deniedCall(options.authorizer, req, () => snsAuthorizationRequests(action, parameters, account));
  listener.attach((req, res) => {
    void handleRequest(req, res, topics, verifySignature, log, authorize);
  });
  const check = (topicArn: string, source: DeliverySource): DeliveryCheck => ({
    ...source,
    action: 'SNS:Publish',
    targetArn: topicArn,
  });
  const deliveryVerdict = (topicArn: string, source: DeliverySource): DeliveryVerdict =>
    topics.listTopics().some((topic) => topic.arn === topicArn)
      ? deliveryAllowed(topics.topicPolicy(topicArn), check(topicArn, source))
      : {
          allowed: false,
          reason: 'the topic does not exist',
          fix: 'create the topic, or name one that exists',
        };

  return {
    url,
    warnings: declared.warnings,
    publish: (topicArn, message, subject, attributes) =>
      topics.publish({ topicArn, message, subject, attributes }).messageId,
    topicArnOf: (reference) =>
      declared.topics.find((topic) => topic.logicalId === reference)?.arn ??
      topics.listTopics().find((topic) => topic.name === reference || topic.arn === reference)?.arn,
    listTopics: () => topics.listTopics(),
    listSubscriptions: (topicArn) => topics.listSubscriptions(topicArn),
    deliveryVerdict,
    admitDelivery: (topicArn, source) =>
      admitDelivery(
        deliveryVerdict(topicArn, source),
        check(topicArn, source),
        options.authorizer?.mode,
        log,
      ),
    stop: () => listener.close(),
  };
}

/** The denial of a function's call by its role, if its role does not allow it. */
type AuthorizeAction = (
  req: http.IncomingMessage,
  action: string,
  parameters: QueryParameters,
) => Denial | undefined;

async function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  topics: SnsTopics,
  verifySignature: ReturnType<typeof createSignatureCheck>,
  log: Log,
  authorize: AuthorizeAction,
): Promise<void> {
  const requestId = randomUUID();
  const send = (status: number, xml: string) => {
    res
      .writeHead(status, {
        'content-type': 'text/xml',
        'x-amzn-requestid': requestId,
        'content-length': Buffer.byteLength(xml),
      })
      .end(xml);
  };
  try {
    const body = await readCappedBody(req, MAX_BODY_BYTES, () =>
      invalidParameter('Invalid parameter: Message too long'),
    );
    const url = req.url ?? '/';
    const refused = await verifySignature({ method: req.method ?? 'GET', url, headers: req.headers, body });
    if (refused) throw fromSignatureError(refused);
    const queryAt = url.indexOf('?');
    const parameters = parseQueryBody(body.toString('utf8'));
    if (queryAt !== -1) {
      for (const [name, value] of new URLSearchParams(url.slice(queryAt + 1))) parameters.set(name, value);
    }
    const action = parameters.get('Action');
    if (!action) throw new SnsError('MissingAction', 400, 'Request is missing Action');
    const denial = authorize(req, action, parameters);
    if (denial) throw new SnsError('AuthorizationError', 403, accessDeniedMessage(denial, 'sns'));
    send(200, renderResponse(action, runAction(action, parameters, topics), requestId));
  } catch (error) {
    if (error instanceof SnsError) {
      send(error.statusCode, renderError(error, requestId));
      return;
    }
    logInternalError(log, req, error);
    send(500, renderError(new SnsError('InternalError', 500, internalErrorMessage('SNS')), requestId));
  }
}

const ACTIONS = [
  'CreateTopic',
  'DeleteTopic',
  'ListTopics',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'Publish',
  'Subscribe',
  'Unsubscribe',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
];

/** The Result element of the action's answer (undefined: the answer has only ResponseMetadata). */
function runAction(action: string, parameters: QueryParameters, topics: SnsTopics): XmlValue | undefined {
  const required = (name: string) => {
    const value = parameters.get(name);
    if (value === undefined) throw invalidParameter(`Invalid parameter: ${name}`);
    return value;
  };
  switch (action) {
    case 'CreateTopic':
      return { TopicArn: topics.createTopic(required('Name'), attributesOf(parameters)).arn };
    case 'DeleteTopic':
      topics.deleteTopic(required('TopicArn'));
      return undefined;
    case 'ListTopics': {
      const page = paginate(topics.listTopics(), parameters.get('NextToken'));
      return { Topics: page.items.map((topic) => ({ TopicArn: topic.arn })), NextToken: page.nextToken };
    }
    case 'GetTopicAttributes':
      return { Attributes: topics.topicAttributes(required('TopicArn')) };
    case 'SetTopicAttributes':
      topics.setTopicAttribute(
        required('TopicArn'),
        required('AttributeName'),
        parameters.get('AttributeValue') ?? '',
      );
      return undefined;
    case 'Publish':
      return { MessageId: publish(parameters, topics).messageId };
    case 'Subscribe': {
      const subscription = topics.subscribe({
        topicArn: required('TopicArn'),
        protocol: required('Protocol'),
        endpoint: parameters.get('Endpoint'),
        attributes: attributesOf(parameters),
      });
      return { SubscriptionArn: subscription.arn };
    }
    case 'Unsubscribe':
      topics.unsubscribe(required('SubscriptionArn'));
      return undefined;
    case 'ListSubscriptions': {
      const page = paginate(topics.listSubscriptions(), parameters.get('NextToken'));
      return { Subscriptions: page.items.map(subscriptionXml), NextToken: page.nextToken };
    }
    case 'ListSubscriptionsByTopic': {
      const topicArn = required('TopicArn');
      topics.getTopic(topicArn);
      const page = paginate(topics.listSubscriptions(topicArn), parameters.get('NextToken'));
      return { Subscriptions: page.items.map(subscriptionXml), NextToken: page.nextToken };
    }
    case 'GetSubscriptionAttributes':
      return {
        Attributes: subscriptionAttributes(topics.getSubscription(required('SubscriptionArn')), topics),
      };
    default:
      throw new SnsError(
        'InvalidAction',
        400,
        `local-cloud's SNS does not implement the action ${action}. It serves ${ACTIONS.join(', ')}.`,
      );
  }
}

function publish(parameters: QueryParameters, topics: SnsTopics): PublishResult {
  if (parameters.has('PhoneNumber')) {
    throw invalidParameter('Invalid parameter: PhoneNumber Reason: local-cloud does not send SMS messages');
  }
  const topicArn = parameters.get('TopicArn') ?? parameters.get('TargetArn');
  if (!topicArn)
    throw invalidParameter(
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    );
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const { key, fields } of readEntries(parameters, 'MessageAttributes', 'Name')) {
    attributes[key] = {
      DataType: fields.get('Value.DataType') ?? '',
      StringValue: fields.get('Value.StringValue'),
      BinaryValue: fields.get('Value.BinaryValue'),
    };
  }
  return topics.publish({
    topicArn,
    message: parameters.get('Message') ?? '',
    subject: parameters.get('Subject'),
    messageStructure: parameters.get('MessageStructure'),
    attributes,
  });
}

function attributesOf(parameters: QueryParameters): Map<string, string> {
  return new Map(
    readEntries(parameters, 'Attributes', 'key').map(({ key, fields }) => [key, fields.get('value') ?? '']),
  );
}

function subscriptionXml(subscription: Subscription): XmlValue {
  return {
    SubscriptionArn: subscription.arn,
    Owner: subscription.arn.split(':')[4] ?? '',
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    TopicArn: subscription.topicArn,
  };
}

function subscriptionAttributes(subscription: Subscription, topics: SnsTopics): Map<string, string> {
  const attributes = new Map([
    ['Owner', topics.account.accountId],
    ['RawMessageDelivery', String(Boolean(subscription.rawMessageDelivery))],
    ['TopicArn', subscription.topicArn],
    ['Endpoint', subscription.endpoint],
    ['Protocol', subscription.protocol],
    ['PendingConfirmation', 'false'],
    ['ConfirmationWasAuthenticated', 'true'],
    ['SubscriptionArn', subscription.arn],
  ]);
  if (subscription.filterPolicy !== undefined) {
    attributes.set('FilterPolicy', subscription.filterPolicy);
    attributes.set('FilterPolicyScope', subscription.filterPolicyScope);
  }
  return attributes;
}

const PAGE_SIZE = 100;

function paginate<T>(items: T[], nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const start = nextToken === undefined ? 0 : Number(Buffer.from(nextToken, 'base64url').toString());
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('Invalid parameter: NextToken');
  const end = start + PAGE_SIZE;
  return {
    items: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined,
  };
}
