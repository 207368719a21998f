// The shapes IAM policies and authorization requests take inside local-cloud. Policy documents are AWS's JSON
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html), already parsed and
// with CloudFormation intrinsics resolved; the rest is what the evaluator is asked and what it answers.

export type OneOrMany<T> = T | T[];

/** A statement of an identity-based or resource-based policy, as written. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  /** Resource-based policies only: `*`, `{ "AWS": ... }`, `{ "Service": ... }`, `{ "Federated": ... }`. */
  Principal?: '*' | Record<string, OneOrMany<string>>;
  NotPrincipal?: '*' | Record<string, OneOrMany<string>>;
  /** `{ "<operator>": { "<condition key>": <value or values> } }`. */
  Condition?: Record<string, Record<string, OneOrMany<string | number | boolean>>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** A policy and where it came from, so a decision can name the statement that made it. */
export interface NamedPolicy {
  /** `provider.iam.role.statements`, `arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess`, the queue policy `QueuePolicy`, ... */
  name: string;
  document: PolicyDocument;
}

/** One thing a caller asks to do: an action on one resource, with the request's condition keys. */
export interface AuthorizationRequest {
  /** `dynamodb:Query`: service prefix, colon, action name (matched case-insensitively). */
  action: string;
  /** The resource's ARN: `arn:aws:dynamodb:us-east-1:123456789012:table/Images/index/ImageIdIndex`, or `*`. */
  resource: string;
  /**
   * Condition keys and their values for this request: `aws:SourceArn`, `aws:SecureTransport` (`"true"`),
   * `dynamodb:LeadingKeys` (several values), `s3:prefix`, ... A key that is absent is missing from the
   * request (what `...IfExists` and `Null` test).
   */
  context: Record<string, string | string[]>;
}

/** Who makes the request, for resource-based policies' `Principal` and for messages. */
export interface RequestPrincipal {
  /** `arn:aws:sts::123456789012:assumed-role/<role>/<session>`, `arn:aws:iam::123456789012:root`, ... */
  arn: string;
  /** For a role session: the role's ARN, which a resource policy's `{"AWS": "<role ARN>"}` also matches. */
  roleArn?: string;
  /** `s3.amazonaws.com` when a service acts (a notification, a delivery); undefined for an identity. */
  service?: string;
  accountId: string;
}

/** Which statement decided, for log lines that say what to change. */
export interface DecidingStatement {
  policy: string;
  /** The statement's `Sid`, or `statement N` (1-based) when it has none. */
  statement: string;
}

export type Decision =
  | { effect: 'allow'; by: DecidingStatement }
  | { effect: 'explicit-deny'; by: DecidingStatement }
  /** No statement allows it: AWS's default. */
  | { effect: 'implicit-deny' };
