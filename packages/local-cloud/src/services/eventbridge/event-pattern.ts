// EventBridge event patterns ("Creating event patterns", "Content filtering in Amazon EventBridge event
// patterns"): a pattern mirrors the event's structure; each leaf is a list of values, any of which may match
// (OR), all fields must match (AND). A leaf matches an event field that is a value or an array holding one.
// Filters: exact values (strings, numbers compared as numbers, true, false, null), `prefix` and `suffix`
// (each also with `equals-ignore-case`), `anything-but` (a value, a list, or `prefix`, `suffix`,
// `equals-ignore-case`, `wildcard`), `numeric` ranges, `exists`, `equals-ignore-case`, `wildcard`, `cidr`, and
// `$or` at any level. A pattern EventBridge would refuse throws EventPatternError with its reason, which the
// API sends as InvalidEventPatternException ("Event pattern is not valid. Reason: ...").
import { wildcardRegExp } from '../../common/wildcard';
import { isIP } from 'node:net';
import { isRecord } from '../../common/records';

export class EventPatternError extends Error {
  override readonly name = 'EventPatternError';
  constructor(readonly reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
  }
}

export type EventPattern = Record<string, unknown>;

/** Parses and checks a pattern as PutRule and TestEventPattern do: JSON text, or an object already parsed. */
export function parseEventPattern(input: unknown): EventPattern {
  let pattern: unknown = input;
  if (typeof input === 'string') {
    try {
      pattern = JSON.parse(input);
    } catch (error) {
      throw new EventPatternError(`${(error as Error).message.replace(/^JSON\.parse: /, '')}`);
    }
  }
  if (!isRecord(pattern)) throw new EventPatternError('Filter is not an object');
  if (Object.keys(pattern).length === 0) throw new EventPatternError('Empty event pattern');
  checkObject(pattern, '');
  return pattern;
}

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function checkObject(pattern: Record<string, unknown>, path: string): void {
  for (const [key, value] of Object.entries(pattern)) {
    const field = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord)) {
        throw new EventPatternError('"$or" must be an array of at least 2 objects');
      }
      for (const alternative of value) {
        if (Object.keys(alternative).length === 0)
          throw new EventPatternError('Empty objects are not allowed');
        checkObject(alternative, path);
      }
      continue;
    }
    if (isRecord(value)) {
      if (Object.keys(value).length === 0) throw new EventPatternError('Empty objects are not allowed');
      checkObject(value, field);
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new EventPatternError('Empty arrays are not allowed');
      value.forEach((condition) => checkCondition(condition, field));
    } else {
      throw new EventPatternError(`"${field}" must be an object or an array`);
    }
  }
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function checkCondition(condition: unknown, field: string): void {
  if (isScalar(condition)) return;
  if (!isRecord(condition))
    throw new EventPatternError('Match value must be String, number, true, false, or null');
  const keys = Object.keys(condition);
  if (keys.length !== 1)
    throw new EventPatternError(`Only one key allowed in match expression for "${field}"`);
  const [type] = keys as [string];
  const value = condition[type];
  switch (type) {
    case 'prefix':
    case 'suffix':
      if (typeof value === 'string') return;
      if (
        isRecord(value) &&
        Object.keys(value).length === 1 &&
        typeof value['equals-ignore-case'] === 'string'
      )
        return;
      throw new EventPatternError(`${type} match pattern must be a string`);
    case 'equals-ignore-case':
      if (typeof value !== 'string')
        throw new EventPatternError('equals-ignore-case match pattern must be a string');
      return;
    case 'wildcard':
      if (typeof value !== 'string') throw new EventPatternError('wildcard match pattern must be a string');
      checkWildcard(value);
      return;
    case 'exists':
      if (typeof value !== 'boolean')
        throw new EventPatternError('exists match pattern must be either true or false.');
      return;
    case 'cidr':
      if (typeof value !== 'string' || parseCidr(value) === undefined) {
        throw new EventPatternError(`Nonstandard IP address: ${String(value)}`);
      }
      return;
    case 'numeric':
      checkNumeric(value);
      return;
    case 'anything-but':
      checkAnythingBut(value);
      return;
    default:
      throw new EventPatternError(`Unrecognized match type ${type}`);
  }
}

function checkWildcard(value: string): void {
  if (value.includes('**')) {
    throw new EventPatternError('Consecutive wildcard characters at pos ' + String(value.indexOf('**') + 1));
  }
}

function checkNumeric(value: unknown): void {
  if (!Array.isArray(value) || value.length === 0 || value.length > 4 || value.length % 2 !== 0) {
    throw new EventPatternError('Value of numeric must be an array.');
  }
  const pairs: [string, unknown][] = [];
  for (let i = 0; i < value.length; i += 2) pairs.push([String(value[i]), value[i + 1]]);
  for (const [operator, operand] of pairs) {
    if (!NUMERIC_OPERATORS.has(operator))
      throw new EventPatternError(`Unrecognized numeric range operator: ${operator}`);
    if (typeof operand !== 'number') throw new EventPatternError(`Value of ${operator} must be numeric`);
  }
  if (pairs.length === 2) {
    const [[first, low], [second, high]] = pairs as [[string, number], [string, number]];
    const lower = first === '>' || first === '>=';
    const upper = second === '<' || second === '<=';
    if (!lower || !upper)
      throw new EventPatternError('Bad numeric range: a lower bound (> or >=) then an upper bound (< or <=)');
    if (low >= high) throw new EventPatternError('Bottom must be less than top');
  }
}

function checkAnythingBut(value: unknown): void {
  if (typeof value === 'string' || typeof value === 'number') return;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new EventPatternError('Empty arrays are not allowed');
    const strings = value.every((item) => typeof item === 'string');
    const numbers = value.every((item) => typeof item === 'number');
    if (!strings && !numbers) {
      throw new EventPatternError('Inside anything but list, all values must be strings or all numbers');
    }
    return;
  }
  if (isRecord(value) && Object.keys(value).length === 1) {
    const [type] = Object.keys(value) as [string];
    const operand = value[type];
    const stringOrList =
      typeof operand === 'string' ||
      (Array.isArray(operand) && operand.length > 0 && operand.every((item) => typeof item === 'string'));
    switch (type) {
      case 'prefix':
      case 'suffix':
        if (typeof operand !== 'string')
          throw new EventPatternError(`${type} match pattern must be a string`);
        return;
      case 'equals-ignore-case':
        if (!stringOrList)
          throw new EventPatternError(
            'equals-ignore-case match pattern must be a string or an array of strings',
          );
        return;
      case 'wildcard':
        if (!stringOrList)
          throw new EventPatternError('wildcard match pattern must be a string or an array of strings');
        (Array.isArray(operand) ? operand : [operand]).forEach(checkWildcard);
        return;
      default:
        throw new EventPatternError(`Unsupported anything-but pattern: ${type}`);
    }
  }
  throw new EventPatternError('Value of anything-but must be an array or single string/number value.');
}

/** Whether an event (the envelope, `detail` included) matches a checked pattern. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesObject(pattern, event);
}

function matchesObject(pattern: Record<string, unknown>, subject: unknown): boolean {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      const alternatives = rule as Record<string, unknown>[];
      if (!alternatives.some((alternative) => matchesObject(alternative, subject))) return false;
      continue;
    }
    const value = isRecord(subject) ? subject[key] : undefined;
    if (isRecord(rule)) {
      // An array of objects: the nested pattern must hold within one of them.
      if (Array.isArray(value)) {
        const objects = value.filter(isRecord);
        if (
          objects.length === 0
            ? !matchesObject(rule, undefined)
            : !objects.some((item) => matchesObject(rule, item))
        )
          return false;
      } else if (!matchesObject(rule, value)) {
        return false;
      }
      continue;
    }
    if (!matchesLeaf(rule as unknown[], value)) return false;
  }
  return true;
}

/** The values a leaf holds: a scalar, or the scalars of an array. An object is not a leaf: it holds none. */
function leafValues(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.filter(isScalar);
  return isScalar(value) ? [value] : [];
}

function matchesLeaf(conditions: unknown[], value: unknown): boolean {
  const values = leafValues(value);
  return conditions.some((condition) => {
    if (isRecord(condition) && 'exists' in condition) return values.length > 0 === condition.exists;
    return values.some((item) => matchesCondition(condition, item));
  });
}

function matchesCondition(condition: unknown, value: unknown): boolean {
  if (!isRecord(condition)) return equalValues(condition, value);
  const [type] = Object.keys(condition) as [string];
  const operand = condition[type];
  switch (type) {
    case 'prefix':
      return typeof value === 'string' && affix(operand, value, 'prefix');
    case 'suffix':
      return typeof value === 'string' && affix(operand, value, 'suffix');
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcardRegExp(String(operand)).test(value);
    case 'cidr':
      return typeof value === 'string' && inCidr(value, String(operand));
    case 'numeric':
      return typeof value === 'number' && inRange(operand as unknown[], value);
    case 'anything-but':
      return anythingBut(operand, value);
    default:
      return false;
  }
}

/** Strings as strings, numbers by value (300 is 3.0e2), true, false and null as themselves. */
function equalValues(expected: unknown, value: unknown): boolean {
  return expected === value;
}

function affix(operand: unknown, value: string, kind: 'prefix' | 'suffix'): boolean {
  const ignoreCase = isRecord(operand);
  const wanted = ignoreCase ? String(operand['equals-ignore-case']) : String(operand);
  const subject = ignoreCase ? value.toLowerCase() : value;
  const text = ignoreCase ? wanted.toLowerCase() : wanted;
  return kind === 'prefix' ? subject.startsWith(text) : subject.endsWith(text);
}

function anythingBut(operand: unknown, value: unknown): boolean {
  if (isRecord(operand)) {
    if (typeof value !== 'string') return false;
    const [type] = Object.keys(operand) as [string];
    const inner = operand[type];
    const list = (Array.isArray(inner) ? inner : [inner]).map(String);
    switch (type) {
      case 'prefix':
        return !value.startsWith(String(inner));
      case 'suffix':
        return !value.endsWith(String(inner));
      case 'equals-ignore-case':
        return !list.some((item) => item.toLowerCase() === value.toLowerCase());
      case 'wildcard':
        return !list.some((item) => wildcardRegExp(item).test(value));
      default:
        return false;
    }
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.some((item) => equalValues(item, value));
}

function inRange(terms: unknown[], value: number): boolean {
  for (let i = 0; i + 1 < terms.length; i += 2) {
    const operand = terms[i + 1] as number;
    const holds =
      terms[i] === '='
        ? value === operand
        : terms[i] === '>'
          ? value > operand
          : terms[i] === '>='
            ? value >= operand
            : terms[i] === '<'
              ? value < operand
              : value <= operand;
    if (!holds) return false;
  }
  return true;
}

interface Cidr {
  bytes: Buffer;
  bits: number;
}

function ipBytes(address: string): Buffer | undefined {
  const kind = isIP(address);
  if (kind === 4) return Buffer.from(address.split('.').map(Number));
  if (kind !== 6) return undefined;
  // Expand `::` and an embedded IPv4 tail into eight 16-bit groups.
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -v4[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group || '0', 16), index * 2));
  return bytes;
}

function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefix] = text.split('/');
  const bytes = ipBytes(address);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  const bits = prefix === undefined ? max : Number(prefix);
  if (!/^\d+$/.test(prefix ?? String(max)) || bits > max) return undefined;
  return { bytes, bits };
}

function inCidr(value: string, cidrText: string): boolean {
  const cidr = parseCidr(cidrText);
  const bytes = ipBytes(value);
  if (!cidr || !bytes || bytes.length !== cidr.bytes.length) return false;
  for (let bit = 0; bit < cidr.bits; bit += 1) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((bytes[byte]! & mask) !== (cidr.bytes[byte]! & mask)) return false;
  }
  return true;
}
