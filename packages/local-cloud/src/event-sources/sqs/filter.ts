// Lambda's event filtering for SQS sources ("Control which events Lambda sends to your function"): a message
// goes to the function when any pattern matches the record; patterns test `body` (its fields when the body is a
// JSON object, else the whole text), `attributes` and `messageAttributes`. Supported: exact values, `prefix`,
// `suffix`, `exists`, `anything-but` and `numeric` comparisons. Lambda deletes a message no pattern matches.
import { isRecord } from '../../common/records';

export function matchesAnyPattern(
  patterns: Record<string, unknown>[],
  record: Record<string, unknown>,
): boolean {
  if (patterns.length === 0) return true;
  let body: unknown = record.body;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (isRecord(parsed)) body = parsed;
    } catch {
      // A body that is not JSON is matched as its text.
    }
  }
  const subject = { ...record, body };
  return patterns.some((pattern) => matchesObject(pattern, subject));
}

function matchesObject(pattern: Record<string, unknown>, subject: unknown): boolean {
  return Object.entries(pattern).every(([key, rule]) => {
    const value = isRecord(subject) ? subject[key] : undefined;
    if (isRecord(rule)) return matchesObject(rule, value);
    if (!Array.isArray(rule)) return false;
    return rule.some((condition) => matchesCondition(condition, value));
  });
}

function matchesCondition(condition: unknown, value: unknown): boolean {
  if (!isRecord(condition)) {
    return Array.isArray(value) ? value.some((item) => item === condition) : value === condition;
  }
  if ('exists' in condition) return (value !== undefined) === condition.exists;
  if (value === undefined) return false;
  if (typeof condition.prefix === 'string')
    return typeof value === 'string' && value.startsWith(condition.prefix);
  if (typeof condition.suffix === 'string')
    return typeof value === 'string' && value.endsWith(condition.suffix);
  if ('anything-but' in condition) {
    const excluded = condition['anything-but'];
    return !(Array.isArray(excluded) ? excluded : [excluded]).includes(value);
  }
  if (Array.isArray(condition.numeric)) {
    const number = typeof value === 'number' ? value : Number.NaN;
    const terms = condition.numeric as unknown[];
    for (let i = 0; i + 1 < terms.length; i += 2) {
      const operand = Number(terms[i + 1]);
      const holds = {
        '=': number === operand,
        '>': number > operand,
        '>=': number >= operand,
        '<': number < operand,
        '<=': number <= operand,
      }[String(terms[i])];
      if (!holds) return false;
    }
    return true;
  }
  return false;
}
