// The event a Lambda function receives from SNS: one record per invocation, fields in AWS's order
// (docs/reference/aws-behaviour.md#sns-to-lambda). Subject is null when the message has none, as on AWS.
import { createHmac } from 'node:crypto';
import type { MessageAttributeValue } from './filter-policy';

export interface SnsNotification {
  messageId: string;
  topicArn: string;
  subject?: string;
  message: string;
  /** ISO 8601 with milliseconds. */
  timestamp: string;
  attributes: Record<string, MessageAttributeValue>;
}

export interface SnsEventRecord {
  EventSource: 'aws:sns';
  EventVersion: '1.0';
  EventSubscriptionArn: string;
  Sns: {
    Type: 'Notification';
    MessageId: string;
    TopicArn: string;
    Subject: string | null;
    Message: string;
    Timestamp: string;
    SignatureVersion: '1';
    Signature: string;
    SigningCertUrl: string;
    UnsubscribeUrl: string;
    MessageAttributes: Record<string, { Type: string; Value: string }>;
  };
}

/** The key local-cloud "signs" with: the signature has AWS's form but no AWS certificate verifies it. */
const SIGNING_KEY = 'local-cloud-sns';

export function snsEventRecord(
  notification: SnsNotification,
  subscriptionArn: string,
  serviceUrl: string,
): SnsEventRecord {
  const attributes: Record<string, { Type: string; Value: string }> = {};
  for (const [name, attribute] of Object.entries(notification.attributes)) {
    attributes[name] = {
      Type: attribute.DataType,
      Value: attribute.StringValue ?? attribute.BinaryValue ?? '',
    };
  }
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: subscriptionArn,
    Sns: {
      Type: 'Notification',
      MessageId: notification.messageId,
      TopicArn: notification.topicArn,
      Subject: notification.subject ?? null,
      Message: notification.message,
      Timestamp: notification.timestamp,
      SignatureVersion: '1',
      Signature: signature(notification),
      SigningCertUrl: `${serviceUrl}/SimpleNotificationService-local-cloud.pem`,
      UnsubscribeUrl: `${serviceUrl}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
      MessageAttributes: attributes,
    },
  };
}

/** The JSON a queue subscribed without raw delivery receives as its message body (keys in AWS's order). */
export interface SnsQueueMessage {
  Type: 'Notification';
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: '1';
  Signature: string;
  SigningCertURL: string;
  UnsubscribeURL: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * As SNS sends it to an SQS (or HTTP) subscriber: `Subject` and `MessageAttributes` only when the message has
 * them, and the URLs spelled `...URL`, unlike the Lambda record's `...Url`.
 */
export function snsQueueMessage(
  notification: SnsNotification,
  subscriptionArn: string,
  serviceUrl: string,
): SnsQueueMessage {
  const { Sns: record } = snsEventRecord(notification, subscriptionArn, serviceUrl);
  return {
    Type: 'Notification',
    MessageId: record.MessageId,
    TopicArn: record.TopicArn,
    ...(record.Subject === null ? {} : { Subject: record.Subject }),
    Message: record.Message,
    Timestamp: record.Timestamp,
    SignatureVersion: '1',
    Signature: record.Signature,
    SigningCertURL: record.SigningCertUrl,
    UnsubscribeURL: record.UnsubscribeUrl,
    ...(Object.keys(record.MessageAttributes).length === 0
      ? {}
      : { MessageAttributes: record.MessageAttributes }),
  };
}

/** Over the string SNS signs for a notification (signature version 1). */
function signature(notification: SnsNotification): string {
  const fields: [string, string | undefined][] = [
    ['Message', notification.message],
    ['MessageId', notification.messageId],
    ['Subject', notification.subject],
    ['Timestamp', notification.timestamp],
    ['TopicArn', notification.topicArn],
    ['Type', 'Notification'],
  ];
  const canonical = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `${name}\n${value}\n`)
    .join('');
  return createHmac('sha1', SIGNING_KEY).update(canonical).digest('base64');
}
