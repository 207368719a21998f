// Which AWS service sent an event, told from its shape alone: Lambda passes every event as plain JSON, with
// no header saying where it came from.

export type EventSummary =
  | { source: 'api-gateway'; summary: string; method: string; path: string }
  | { source: 's3'; summary: string; objects: S3ObjectChange[] }
  | { source: 'sns'; summary: string; topic: string; subject: string | null }
  | { source: 'schedule'; summary: string; rule: string; time: string }
  | { source: 'dynamodb'; summary: string; table: string; counts: Record<StreamChange, number> }
  | { source: 'unknown'; summary: string };

export interface S3ObjectChange {
  bucket: string;
  /** The key as stored, decoded from the event's URL encoding ("red+flower.jpg" is "red flower.jpg"). */
  key: string;
  eventName: string;
}

export type StreamChange = 'INSERT' | 'MODIFY' | 'REMOVE';

/**
 * Recognises API Gateway proxy (REST, payload v1), S3 notification, SNS, EventBridge schedule and DynamoDB
 * stream events and summarises each. Any other JSON object is `{ source: 'unknown' }`; anything that is not
 * a JSON object (null, a string, a number, an array) is a TypeError, because no AWS service sends one.
 */
export function classifyEvent(event: unknown): EventSummary {
  // BEGIN SOLUTION classify-event
  type Json = Record<string, unknown>;
  const isObject = (value: unknown): value is Json =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  // ARNs end in the resource's name: ...:topic-name, ...:rule/rule-name, ...:table/name/stream/label.
  const lastPart = (arn: string, separator: string): string => arn.split(separator).pop() ?? arn;
  // S3 URL-encodes keys in events, spaces as '+'; a real '+' arrives as %2B, so '+' is swapped first.
  const decodeS3Key = (raw: string): string => {
    try {
      return decodeURIComponent(raw.replaceAll('+', ' '));
    } catch {
      return raw;
    }
  };

  if (!isObject(event)) {
    const kind = event === null ? 'null' : Array.isArray(event) ? 'an array' : `a ${typeof event}`;
    throw new TypeError(
      `classifyEvent expects an event object, like the JSON AWS services send, but got ${kind}`,
    );
  }

  const method = text(event.httpMethod);
  const path = text(event.path);
  if (method !== undefined && path !== undefined && isObject(event.requestContext)) {
    return { source: 'api-gateway', summary: `${method} ${path}`, method, path };
  }

  if (event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event') {
    const ruleArn = Array.isArray(event.resources) ? text(event.resources[0]) : undefined;
    const rule = ruleArn === undefined ? 'unnamed rule' : lastPart(ruleArn, '/');
    const time = text(event.time) ?? 'an unknown time';
    return { source: 'schedule', summary: `schedule ${rule} fired at ${time}`, rule, time };
  }

  const rawRecords: unknown[] = Array.isArray(event.Records) ? (event.Records as unknown[]) : [];
  const records = rawRecords.filter(isObject);
  // A batch comes from one source: every record must be an object naming it.
  const allFrom = (field: string, value: string): boolean =>
    records.length > 0 && records.length === rawRecords.length && records.every((r) => r[field] === value);

  if (allFrom('eventSource', 'aws:s3')) {
    const objects = records.map((record): S3ObjectChange => {
      const s3 = isObject(record.s3) ? record.s3 : {};
      const bucket = isObject(s3.bucket) ? (text(s3.bucket.name) ?? '') : '';
      const rawKey = isObject(s3.object) ? (text(s3.object.key) ?? '') : '';
      const key = decodeS3Key(rawKey);
      return { bucket, key, eventName: text(record.eventName) ?? 'unknown event' };
    });
    const summary = objects.map((o) => `${o.eventName} s3://${o.bucket}/${o.key}`).join('; ');
    return { source: 's3', summary, objects };
  }

  if (allFrom('EventSource', 'aws:sns')) {
    const first = records[0]?.Sns;
    const sns = isObject(first) ? first : {};
    const topic = lastPart(text(sns.TopicArn) ?? 'unknown topic', ':');
    const subject = text(sns.Subject) ?? null;
    const about = subject === null ? 'a message with no subject' : `"${subject}"`;
    return { source: 'sns', summary: `${about} on topic ${topic}`, topic, subject };
  }

  if (allFrom('eventSource', 'aws:dynamodb')) {
    const counts: Record<StreamChange, number> = { INSERT: 0, MODIFY: 0, REMOVE: 0 };
    for (const record of records) {
      const change = record.eventName;
      if (change === 'INSERT' || change === 'MODIFY' || change === 'REMOVE') counts[change] += 1;
    }
    const arn = text(records[0]?.eventSourceARN) ?? '';
    const table = arn.split(':table/')[1]?.split('/')[0] ?? 'unknown table';
    const summary = `table ${table}: ${counts.INSERT} INSERT, ${counts.MODIFY} MODIFY, ${counts.REMOVE} REMOVE`;
    return { source: 'dynamodb', summary, table, counts };
  }

  const keys = Object.keys(event);
  return {
    source: 'unknown',
    summary:
      keys.length === 0
        ? 'an empty object, not an event from API Gateway, S3, SNS, EventBridge or DynamoDB Streams'
        : `an object with keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}, not an event from API Gateway, S3, SNS, EventBridge or DynamoDB Streams`,
  };
  // END SOLUTION
}
