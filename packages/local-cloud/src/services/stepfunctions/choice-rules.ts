// The Choice state's rules (the States Language's Choice Rules): And, Or, Not, and the comparison operators on a
// variable, each against a literal or, with the `Path` suffix, another path of the input.
import { isRecord } from '../../common/records';
import { wildcardRegExp } from '../../common/wildcard';
import { runtimeError } from './errors';
import { selectPath, type Json, type PathRoots } from './paths';

const COMPARATORS = [
  'StringEquals',
  'StringLessThan',
  'StringGreaterThan',
  'StringLessThanEquals',
  'StringGreaterThanEquals',
  'StringMatches',
  'NumericEquals',
  'NumericLessThan',
  'NumericGreaterThan',
  'NumericLessThanEquals',
  'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals',
  'TimestampLessThan',
  'TimestampGreaterThan',
  'TimestampLessThanEquals',
  'TimestampGreaterThanEquals',
  'IsNull',
  'IsPresent',
  'IsNumeric',
  'IsString',
  'IsBoolean',
  'IsTimestamp',
];

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function choiceMatches(rule: Record<string, unknown>, roots: PathRoots): boolean {
  if (Array.isArray(rule.And))
    return (rule.And as Record<string, unknown>[]).every((inner) => choiceMatches(inner, roots));
  if (Array.isArray(rule.Or))
    return (rule.Or as Record<string, unknown>[]).some((inner) => choiceMatches(inner, roots));
  if (isRecord(rule.Not)) return !choiceMatches(rule.Not, roots);
  const variablePath = String(rule.Variable);
  const value = selectPath(variablePath, roots);
  for (const key of Object.keys(rule)) {
    const base = key.endsWith('Path') ? key.slice(0, -4) : key;
    if (!COMPARATORS.includes(base)) continue;
    if (base === 'IsPresent') return (value !== undefined) === rule[key];
    if (value === undefined)
      throw runtimeError(
        `Invalid path '${variablePath}': The choice state's condition path references an invalid value.`,
      );
    let expected = rule[key] as Json;
    if (key !== base) {
      const found = selectPath(String(rule[key]), roots);
      if (found === undefined)
        throw runtimeError(
          `Invalid path '${String(rule[key])}': The choice state's condition path references an invalid value.`,
        );
      expected = found;
    }
    return compare(base, value, expected);
  }
  return false;
}

function compare(operator: string, value: Json, expected: Json): boolean {
  switch (operator) {
    case 'IsNull':
      return (value === null) === expected;
    case 'IsNumeric':
      return (typeof value === 'number') === expected;
    case 'IsString':
      return (typeof value === 'string') === expected;
    case 'IsBoolean':
      return (typeof value === 'boolean') === expected;
    case 'IsTimestamp':
      return (typeof value === 'string' && TIMESTAMP.test(value)) === expected;
    case 'BooleanEquals':
      return typeof value === 'boolean' && value === expected;
    case 'StringMatches':
      return (
        typeof value === 'string' && typeof expected === 'string' && wildcardRegExp(expected).test(value)
      );
  }
  if (operator.startsWith('String')) {
    if (typeof value !== 'string' || typeof expected !== 'string') return false;
    return ordered(operator.slice('String'.length), value < expected ? -1 : value > expected ? 1 : 0);
  }
  if (operator.startsWith('Numeric')) {
    if (typeof value !== 'number' || typeof expected !== 'number') return false;
    return ordered(operator.slice('Numeric'.length), Math.sign(value - expected));
  }
  if (typeof value !== 'string' || typeof expected !== 'string' || !TIMESTAMP.test(value)) return false;
  return ordered(operator.slice('Timestamp'.length), Math.sign(Date.parse(value) - Date.parse(expected)));
}

function ordered(relation: string, sign: number): boolean {
  switch (relation) {
    case 'Equals':
      return sign === 0;
    case 'LessThan':
      return sign < 0;
    case 'GreaterThan':
      return sign > 0;
    case 'LessThanEquals':
      return sign <= 0;
    default:
      return sign >= 0;
  }
}
