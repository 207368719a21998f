// CloudFormation intrinsics resolved anywhere inside a policy's JSON (a Resource list, a Condition value, a
// Principal), for the roles (function-roles.ts) and the queue and topic policies (delivery-policy.ts) alike.
// A value that cannot be resolved is dropped from its list or object, never kept as `null`, and recorded in
// `unresolved` with where it is, so the caller can leave the statement out and say why.
import { isRecord } from '../common/records';

/** What a resolver gives for one intrinsic: its value, or why there is none. */
export type IntrinsicValue = string | { unresolved: string } | undefined;

export const DROPPED: unique symbol = Symbol('dropped');

export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

export function resolveDeep(
  value: unknown,
  resolve: (intrinsic: Record<string, unknown>) => IntrinsicValue,
  where: string,
  unresolved: string[],
): unknown {
  if (isIntrinsic(value)) {
    const resolved = resolve(value);
    if (typeof resolved === 'string') return resolved;
    const reason = resolved === undefined ? '' : ` (${resolved.unresolved})`;
    unresolved.push(`${where} is ${JSON.stringify(value)}${reason}`);
    return DROPPED;
  }
  if (Array.isArray(value)) {
    return value
      .map((item, index) => resolveDeep(item, resolve, `${where}[${index}]`, unresolved))
      .filter((item) => item !== DROPPED);
  }
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const resolved = resolveDeep(item, resolve, `${where}.${key}`, unresolved);
      if (resolved !== DROPPED) result[key] = resolved;
    }
    return result;
  }
  return value;
}

/** JSON text's value, or undefined for text that is not JSON (a policy IAM would refuse). */
export function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
