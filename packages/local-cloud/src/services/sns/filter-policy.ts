// Subscription filter policies, as SNS applies them before delivering a message to a subscriber: every key
// of the policy must match (AND), each key's conditions are alternatives (OR). Supported conditions: exact
// strings and numbers, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (values or a prefix),
// `numeric` ranges, `exists`, and `$or`. Scope `MessageAttributes` (the default) matches message attributes
// (String, Number and String.Array; Binary attributes never match), `MessageBody` matches the JSON message.
import { invalidParameter } from './query-protocol';
import { isRecord } from '../../common/records';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

export interface MessageAttributeValue {
  /** `String`, `Number`, `Binary`, `String.Array`, optionally with a custom suffix (`Number.float`). */
  DataType: string;
  StringValue?: string;
  /** Base64. */
  BinaryValue?: string;
}

type Policy = Record<string, unknown>;

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

/** Parses and checks a policy; an invalid one is refused as SNS refuses it (InvalidParameter). */
export function parseFilterPolicy(json: string): Policy {
  let policy: unknown;
  try {
    policy = JSON.parse(json);
  } catch {
    throw invalidParameter('Invalid parameter: FilterPolicy: failed to parse JSON.');
  }
  if (!isRecord(policy))
    throw invalidParameter('Invalid parameter: FilterPolicy: Filter policy must be an object');
  checkPolicy(policy);
  return policy;
}

export function parseFilterPolicyScope(value: string | undefined): FilterPolicyScope {
  if (value === undefined || value === 'MessageAttributes') return 'MessageAttributes';
  if (value === 'MessageBody') return 'MessageBody';
  throw invalidParameter(
    `Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
  );
}

export function matchesFilterPolicy(
  policy: Policy,
  scope: FilterPolicyScope,
  message: string,
  attributes: Record<string, MessageAttributeValue>,
): boolean {
  if (scope === 'MessageAttributes') {
    const values: Record<string, unknown> = {};
    for (const [name, attribute] of Object.entries(attributes)) {
      const value = attributeValue(attribute);
      if (value !== undefined) values[name] = value;
    }
    return matchesObject(policy, values);
  }
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    return false;
  }
  return isRecord(body) && matchesObject(policy, body);
}

function matchesObject(policy: Policy, subject: Record<string, unknown>): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or') return (rule as Policy[]).some((alternative) => matchesObject(alternative, subject));
    const present = Object.prototype.hasOwnProperty.call(subject, key);
    const value = subject[key];
    if (isRecord(rule)) return present && isRecord(value) && matchesObject(rule, value);
    return matchesConditions(rule as unknown[], present, value);
  });
}

function matchesConditions(conditions: unknown[], present: boolean, value: unknown): boolean {
  if (!present) return conditions.some((condition) => isRecord(condition) && condition.exists === false);
  const values = Array.isArray(value) ? (value as unknown[]) : [value];
  return conditions.some((condition) => values.some((candidate) => matchesCondition(condition, candidate)));
}

function matchesCondition(condition: unknown, value: unknown): boolean {
  if (!isRecord(condition)) return condition === value;
  const [operator, operand] = Object.entries(condition)[0] ?? [];
  switch (operator) {
    case 'exists':
      return operand === true;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(String(operand));
    case 'suffix':
      return typeof value === 'string' && value.endsWith(String(operand));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'numeric':
      return typeof value === 'number' && matchesNumeric(operand as unknown[], value);
    case 'anything-but':
      return !matchesAnythingBut(operand, value);
    default:
      return false;
  }
}

/** True when the value is one of those `anything-but` excludes. */
function matchesAnythingBut(operand: unknown, value: unknown): boolean {
  if (isRecord(operand)) return matchesCondition(operand, value);
  const excluded = Array.isArray(operand) ? (operand as unknown[]) : [operand];
  return excluded.includes(value);
}

function matchesNumeric(range: unknown[], value: number): boolean {
  for (let i = 0; i < range.length; i += 2) {
    const bound = Number(range[i + 1]);
    const holds = {
      '=': value === bound,
      '<': value < bound,
      '<=': value <= bound,
      '>': value > bound,
      '>=': value >= bound,
    }[String(range[i])];
    if (!holds) return false;
  }
  return true;
}

function attributeValue(attribute: MessageAttributeValue): unknown {
  const baseType = attribute.DataType.split('.')[0];
  if (attribute.DataType.startsWith('String.Array')) {
    try {
      const parsed: unknown = JSON.parse(attribute.StringValue ?? '');
      return Array.isArray(parsed) ? parsed : attribute.StringValue;
    } catch {
      return attribute.StringValue;
    }
  }
  if (baseType === 'Number') return Number(attribute.StringValue);
  if (baseType === 'String') return attribute.StringValue;
  return undefined;
}

function checkPolicy(policy: Policy): void {
  for (const [key, rule] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(rule) || !rule.every(isRecord)) {
        throw invalidParameter('Invalid parameter: FilterPolicy: $or must be an array of objects');
      }
      rule.forEach((alternative) => checkPolicy(alternative));
    } else if (isRecord(rule)) {
      checkPolicy(rule);
    } else if (Array.isArray(rule)) {
      rule.forEach((condition) => checkCondition(key, condition));
    } else {
      throw invalidParameter(`Invalid parameter: FilterPolicy: "${key}" must be an object or an array`);
    }
  }
}

function checkCondition(key: string, condition: unknown): void {
  if (!isRecord(condition)) {
    if (typeof condition === 'object' && condition !== null) {
      throw invalidParameter(
        `Invalid parameter: FilterPolicy: Match value for "${key}" must be a string, number or object`,
      );
    }
    return;
  }
  const entries = Object.entries(condition);
  const [operator, operand] = entries[0] ?? [];
  const valid =
    entries.length === 1 &&
    ((operator === 'exists' && typeof operand === 'boolean') ||
      (['prefix', 'suffix', 'equals-ignore-case'].includes(operator ?? '') && typeof operand === 'string') ||
      (operator === 'numeric' && isNumericRange(operand)) ||
      (operator === 'anything-but' && isAnythingBut(operand)));
  if (!valid) {
    throw invalidParameter(
      `Invalid parameter: FilterPolicy: Unrecognized match type ${operator ?? '{}'} for "${key}"`,
    );
  }
}

function isNumericRange(operand: unknown): boolean {
  return (
    Array.isArray(operand) &&
    (operand.length === 2 || operand.length === 4) &&
    operand.every((item, index) =>
      index % 2 === 0 ? NUMERIC_OPERATORS.has(String(item)) : typeof item === 'number',
    )
  );
}

function isAnythingBut(operand: unknown): boolean {
  if (isRecord(operand)) {
    const [operator, value] = Object.entries(operand)[0] ?? [];
    return ['prefix', 'suffix', 'equals-ignore-case'].includes(operator ?? '') && typeof value === 'string';
  }
  const values = Array.isArray(operand) ? (operand as unknown[]) : [operand];
  return values.every((value) => typeof value === 'string' || typeof value === 'number');
}
