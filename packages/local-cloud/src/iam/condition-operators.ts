// The Condition element of IAM policies (reference_policies_elements_condition_operators.html,
// reference_policies_condition-logic-multiple-context-keys-or-values.html,
// reference_policies_condition-single-vs-multi-valued-context-keys.html) and the pieces the Resource element
// shares with it: policy variables (reference_policies_variables.html) and `*`/`?` wildcards. A condition
// block is compiled once into a test the evaluator runs per request: authorization sits on every AWS call a
// function makes, so the per-request work is lookups and pre-built RegExps.
import type { AuthorizationRequest, PolicyStatement } from './policy-types';

/** A request's condition keys, names lower-cased ("Key names are case-insensitive"), each a list of values. */
export type ContextKeys = ReadonlyMap<string, readonly string[]>;

export function contextKeys(context: AuthorizationRequest['context']): ContextKeys {
  const keys = new Map<string, readonly string[]>();
  for (const [name, value] of Object.entries(context)) {
    keys.set(name.toLowerCase(), typeof value === 'string' ? [value] : value);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------------
// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'company-wide'}`, and `${*}`, `${?}`, `${$}`
// for the characters that otherwise mean something.

/** Text of a policy string once read: in `pattern` text `*` and `?` are wildcards, in `literal` text not. */
export interface Piece {
  text: string;
  literal: boolean;
}

type TemplatePart = Piece | { variable: string; fallback?: string };

export interface PolicyString {
  parts: TemplatePart[];
  /** Whether it names a variable (else `resolvePolicyString` always gives the same pieces). */
  variables: boolean;
}

const ESCAPES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/** Reads `${...}` in `raw` when `variables` (a `2012-10-17` policy); otherwise all of it is pattern text. */
export function parsePolicyString(raw: string, variables: boolean): PolicyString {
  if (!variables || !raw.includes('${')) return { parts: [{ text: raw, literal: false }], variables: false };
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < raw.length) {
    const end = raw.startsWith('${', i) ? variableEnd(raw, i + 2) : -1;
    if (end < 0) {
      text += raw[i];
      i += 1;
      continue;
    }
    if (text) parts.push({ text, literal: false });
    text = '';
    parts.push(variablePart(raw.slice(i + 2, end)));
    i = end + 1;
  }
  if (text) parts.push({ text, literal: false });
  return { parts, variables: parts.some((part) => 'variable' in part) };
}

/** Index of the `}` closing a variable opened before `start`, skipping a quoted default; -1 if none. */
function variableEnd(raw: string, start: number): number {
  let quoted = false;
  for (let i = start; i < raw.length; i += 1) {
    if (raw[i] === "'") quoted = !quoted;
    else if (raw[i] === '}' && !quoted) return i;
  }
  return -1;
}

function variablePart(inside: string): TemplatePart {
  const escape = ESCAPES[inside];
  if (escape !== undefined) return { text: escape, literal: true };
  // "surround the default value with single quotes, and separate the variable text and the default value
  // with a comma and space"; a quote inside the default is doubled.
  const withDefault = /^\s*([^,]+?)\s*,\s*'((?:[^']|'')*)'\s*$/.exec(inside);
  if (withDefault) {
    return { variable: withDefault[1]!.toLowerCase(), fallback: withDefault[2]!.replace(/''/g, "'") };
  }
  return { variable: inside.trim().toLowerCase() };
}

/**
 * The pieces with variables replaced by the request's values, or undefined when one has no value (nor a
 * default): "the value is effectively null. There is no equal or like value." A multivalued key is no
 * variable ("you can't use multivalued context keys as policy variables"). A value is literal text: a user
 * named `*` does not become a wildcard.
 */
export function resolvePolicyString(template: PolicyString, keys: ContextKeys): Piece[] | undefined {
  const pieces: Piece[] = [];
  for (const part of template.parts) {
    if ('text' in part) {
      pieces.push(part);
      continue;
    }
    const values = keys.get(part.variable);
    const value = values?.length === 1 ? values[0] : part.fallback;
    if (value === undefined) return undefined;
    pieces.push({ text: value, literal: true });
  }
  return pieces;
}

const NO_KEYS: ContextKeys = new Map();

/** The pieces of a policy string without variables (`${*}` and the like are no variables). */
export const fixedPieces = (template: PolicyString): Piece[] => resolvePolicyString(template, NO_KEYS) ?? [];

export const piecesText = (pieces: readonly Piece[]): string => pieces.map((piece) => piece.text).join('');

// ---------------------------------------------------------------------------------------------------------
// Wildcards. `plain` (StringLike, Action): `*` any run of characters, `?` one. `arn` (ArnLike): "Each of the
// six colon-delimited components of the ARN is checked separately", so a wildcard in the first five stays
// inside its component; the sixth (the resource) holds the rest, colons and all. `resource` (the Resource
// element, reference_policies_elements_resource.html): the same, except that "If the * wildcard is the last
// character of a resource ARN segment, it can expand to match beyond the colon boundaries", and after the
// fifth colon `*` covers `/` and `:` alike ("arn:aws:s3:::amzn-s3-demo-bucket/*/test/*" matches
// ".../1/2/test/3/object.jpg").

export type WildcardMode = 'plain' | 'arn' | 'resource';

const regExps = new Map<string, RegExp>();

/** The anchored RegExp for `pieces`, cached: patterns with variables are built again for each request. */
export function wildcardRegExp(pieces: readonly Piece[], mode: WildcardMode, ignoreCase = false): RegExp {
  return cachedRegExp(`^(?:${wildcardSource(pieces, mode)})$`, ignoreCase ? 'is' : 's');
}

export function cachedRegExp(source: string, flags: string): RegExp {
  const id = `${flags}/${source}`;
  let regExp = regExps.get(id);
  if (regExp) return regExp;
  // Variables make patterns per user or per object: bound the cache rather than grow with traffic.
  if (regExps.size >= 10_000) regExps.clear();
  regExp = new RegExp(source, flags);
  regExps.set(id, regExp);
  return regExp;
}

/** RegExp source (unanchored) for `pieces` under `mode`'s wildcard rules. */
export function wildcardSource(pieces: readonly Piece[], mode: WildcardMode): string {
  const chars = pieces.flatMap((piece) => [...piece.text].map((char) => ({ char, literal: piece.literal })));
  let source = '';
  let colons = 0;
  chars.forEach(({ char, literal }, index) => {
    const inResourcePart = mode === 'plain' || colons >= 5;
    if (char === ':') colons += 1;
    if (literal || (char !== '*' && char !== '?')) {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (char === '?') {
      source += inResourcePart ? '.' : '[^:]';
    } else {
      const next = chars[index + 1]?.char;
      const expands = mode === 'resource' && (next === undefined || next === ':');
      source += inResourcePart || expands ? '.*' : '[^:]*';
    }
  });
  return source;
}

// ---------------------------------------------------------------------------------------------------------
// Condition operators.

/** Whether one request value matches one (resolved) policy value. */
type Matcher = (requestValue: string) => boolean;

interface Operator {
  /** StringNotEquals, ArnNotLike, ...: several policy values are NORed rather than ORed. */
  negated: boolean;
  /** Whether its values may hold policy variables (string, ARN and Bool operators). */
  variables: boolean;
  /** The matcher for one policy value; undefined when the value cannot match anything (not a number, ...). */
  compile(pieces: Piece[]): Matcher | undefined;
}

const stringEquals = (pieces: Piece[]): Matcher => {
  const text = piecesText(pieces);
  return (value) => value === text;
};
const stringEqualsIgnoreCase = (pieces: Piece[]): Matcher => {
  const text = piecesText(pieces).toLowerCase();
  return (value) => value.toLowerCase() === text;
};
const like =
  (mode: WildcardMode) =>
  (pieces: Piece[]): Matcher => {
    const regExp = wildcardRegExp(pieces, mode);
    return (value) => regExp.test(value);
  };
const bool = (pieces: Piece[]): Matcher => {
  const text = piecesText(pieces).toLowerCase();
  return (value) => value.toLowerCase() === text;
};
const binaryEquals = (pieces: Piece[]): Matcher => {
  const bytes = Buffer.from(piecesText(pieces), 'base64');
  return (value) => Buffer.from(value, 'base64').equals(bytes);
};

type Comparison = (request: number, policy: number) => boolean;
const COMPARISONS: Record<string, Comparison> = {
  Equals: (a, b) => a === b,
  NotEquals: (a, b) => a === b,
  LessThan: (a, b) => a < b,
  LessThanEquals: (a, b) => a <= b,
  GreaterThan: (a, b) => a > b,
  GreaterThanEquals: (a, b) => a >= b,
};

const compared =
  (parse: (text: string) => number | undefined, comparison: Comparison) =>
  (pieces: Piece[]): Matcher | undefined => {
    const limit = parse(piecesText(pieces));
    if (limit === undefined) return undefined;
    return (value) => {
      const number = parse(value);
      return number !== undefined && comparison(number, limit);
    };
  };

function parseNumber(text: string): number | undefined {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : undefined;
}

/** "one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time", as milliseconds. */
function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!/^\d{4}(-\d{2}(-\d{2}([Tt].+)?)?)?$/.test(trimmed)) return undefined;
  const time = Date.parse(trimmed.toUpperCase());
  return Number.isFinite(time) ? time : undefined;
}

const ipAddress = (pieces: Piece[]): Matcher | undefined => {
  const range = parseCidr(piecesText(pieces));
  if (!range) return undefined;
  return (value) => {
    const address = parseIp(value.trim());
    return address !== undefined && inRange(address, range);
  };
};

const OPERATORS = new Map<string, Operator>();

function define(name: string, compile: Operator['compile'], variables: boolean, negated = false): void {
  OPERATORS.set(name, { negated, variables, compile });
}

define('StringEquals', stringEquals, true);
define('StringNotEquals', stringEquals, true, true);
define('StringEqualsIgnoreCase', stringEqualsIgnoreCase, true);
define('StringNotEqualsIgnoreCase', stringEqualsIgnoreCase, true, true);
define('StringLike', like('plain'), true);
define('StringNotLike', like('plain'), true, true);
// "The ArnEquals and ArnLike condition operators behave identically."
for (const name of ['ArnEquals', 'ArnLike']) define(name, like('arn'), true);
for (const name of ['ArnNotEquals', 'ArnNotLike']) define(name, like('arn'), true, true);
for (const [suffix, comparison] of Object.entries(COMPARISONS)) {
  const negated = suffix === 'NotEquals';
  define(`Numeric${suffix}`, compared(parseNumber, comparison), false, negated);
  define(`Date${suffix}`, compared(parseDate, comparison), false, negated);
}
define('Bool', bool, true);
define('BinaryEquals', binaryEquals, false);
define('IpAddress', ipAddress, false);
define('NotIpAddress', ipAddress, false, true);

/** A compiled Condition block: run `test` per request, or the reason the statement cannot be evaluated. */
export type CompiledCondition = { test: (keys: ContextKeys) => boolean } | { unevaluable: string };

type KeyTest = (keys: ContextKeys) => boolean;

/**
 * Compiles a statement's Condition. "If your policy statement has multiple condition operators, the condition
 * operators are evaluated using a logical AND"; so are several keys of one operator. `variables`: the policy
 * is `2012-10-17` (older documents read `${...}` as text).
 */
export function compileCondition(
  condition: PolicyStatement['Condition'],
  options: { variables: boolean },
): CompiledCondition {
  const tests: KeyTest[] = [];
  for (const [name, block] of Object.entries(condition ?? {})) {
    for (const [key, values] of Object.entries(block)) {
      const test = compileKeyTest(name, key.toLowerCase(), listOf(values), options.variables);
      if (typeof test === 'string') return { unevaluable: test };
      tests.push(test);
    }
  }
  return { test: (keys) => tests.every((test) => test(keys)) };
}

/** Evaluates a Condition against a request's context at once (compile once with `compileCondition` instead). */
export function evaluateCondition(
  condition: PolicyStatement['Condition'],
  context: AuthorizationRequest['context'],
  options: { variables: boolean } = { variables: true },
): { matches: boolean } | { unevaluable: string } {
  const compiled = compileCondition(condition, options);
  return 'unevaluable' in compiled ? compiled : { matches: compiled.test(contextKeys(context)) };
}

const listOf = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

interface OperatorName {
  set?: 'ForAllValues' | 'ForAnyValue';
  ifExists: boolean;
  base: string;
}

function parseOperatorName(name: string): OperatorName {
  const [, set, rest = name] = /^(ForAllValues|ForAnyValue):(.*)$/.exec(name) ?? [];
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  return {
    ...(set && { set: set as OperatorName['set'] }),
    ifExists,
    base: ifExists ? rest.slice(0, -'IfExists'.length) : rest,
  };
}

/** One key of one operator, or why it cannot be evaluated (an unknown operator). */
function compileKeyTest(
  name: string,
  key: string,
  values: (string | number | boolean)[],
  variables: boolean,
): KeyTest | string {
  const parsed = parseOperatorName(name);
  if (parsed.base === 'Null') {
    return parsed.set || parsed.ifExists
      ? `the condition operator ${name} is not one IAM has`
      : nullTest(key, values);
  }
  const operator = OPERATORS.get(parsed.base);
  if (!operator) return `the condition operator ${name} is not one IAM has`;
  const policyValues = values.map((value) => policyValue(operator, String(value), variables));
  return keyTest(key, parsed, operator.negated, policyValues);
}

/** `Null`: "true (the key doesn't exist — it is null) or false (the key exists and its value is not null)". */
function nullTest(key: string, values: (string | number | boolean)[]): KeyTest {
  const wanted = values.map((value) => String(value).toLowerCase());
  return (keys) => wanted.includes(String(isAbsent(keys.get(key))));
}

/** A policy value resolved for a request: a matcher, or undefined (a variable without value: matches nothing). */
type PolicyValue = (keys: ContextKeys) => Matcher | undefined;

function policyValue(operator: Operator, raw: string, variables: boolean): PolicyValue {
  const template = parsePolicyString(raw, variables && operator.variables);
  if (!template.variables) {
    const matcher = operator.compile(fixedPieces(template));
    return () => matcher;
  }
  return (keys) => {
    const pieces = resolvePolicyString(template, keys);
    return pieces && operator.compile(pieces);
  };
}

const isAbsent = (values: readonly string[] | undefined): boolean =>
  values === undefined || values.length === 0;

/**
 * One key: "If a single condition operator includes multiple values for a context key, those values are
 * evaluated using a logical OR", and a negated operator NORs them. A missing key makes a positive operator
 * false and a negated one true; `...IfExists` makes it true; `ForAllValues` "also returns true if there are no
 * context keys in the request" and `ForAnyValue` then returns false. A request value counts for
 * `ForAllValues` when it matches one policy value (for a negated operator: none), for `ForAnyValue` likewise.
 */
function keyTest(key: string, name: OperatorName, negated: boolean, policyValues: PolicyValue[]): KeyTest {
  return (keys) => {
    const requestValues = keys.get(key);
    if (requestValues === undefined || requestValues.length === 0) {
      if (name.ifExists) return true;
      return name.set ? name.set === 'ForAllValues' : negated;
    }
    const matchers = policyValues.map((value) => value(keys));
    const matchesOne = (requestValue: string) => matchers.some((matcher) => matcher?.(requestValue) === true);
    const counts = (requestValue: string) => matchesOne(requestValue) !== negated;
    if (name.set === 'ForAllValues') return requestValues.every(counts);
    if (name.set === 'ForAnyValue') return requestValues.some(counts);
    // A plain operator on a key with several values: AWS asks for a set operator; any value counts.
    return negated ? !requestValues.some(matchesOne) : requestValues.some(matchesOne);
  };
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses: "the standard CIDR format (for example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64). If you
// specify an IP address without the associated routing prefix, IAM uses the default prefix value of /32."

interface Address {
  value: bigint;
  bits: 32 | 128;
}

interface Range extends Address {
  prefix: number;
}

function parseCidr(text: string): Range | undefined {
  const [ip = '', prefixText, extra] = text.trim().split('/');
  const address = parseIp(ip);
  if (!address || extra !== undefined) return undefined;
  const prefix =
    prefixText === undefined ? address.bits : /^\d+$/.test(prefixText) ? Number(prefixText) : NaN;
  return prefix >= 0 && prefix <= address.bits ? { ...address, prefix } : undefined;
}

function inRange(address: Address, range: Range): boolean {
  if (address.bits !== range.bits) return false;
  const shift = BigInt(range.bits - range.prefix);
  return address.value >> shift === range.value >> shift;
}

function parseIp(text: string): Address | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): Address | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)) {
    return undefined;
  }
  return { value: octets.reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n), bits: 32 };
}

function parseIpv6(text: string): Address | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string | undefined) => (half ? half.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return { value: groups.reduce((sum, group) => (sum << 16n) + BigInt(`0x${group}`), 0n), bits: 128 };
}
