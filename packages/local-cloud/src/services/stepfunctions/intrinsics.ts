// The states language's intrinsic functions, in a `.$` field of Parameters, ResultSelector, ItemSelector or
// Arguments: `States.Format('Hello, {}', $.name)`. Arguments are string literals in single quotes (`\'`, `\{`,
// `\}` and `\\` escaped), numbers, `true`/`false`/`null`, paths and other intrinsic calls. As documented in
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html; a failure is States.Runtime
// naming the function, as AWS reports it.
import { createHash, randomUUID } from 'node:crypto';
import { isRecord } from '../../common/records';
import { runtimeError } from './errors';
import { selectPath, type Json, type PathRoots } from './paths';

type Argument =
  | { kind: 'literal'; value: Json }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: Argument[] };

export function isIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(text.trim());
}

export function evaluateIntrinsic(text: string, roots: PathRoots): Json {
  const parser = new Parser(text.trim());
  const call = parser.call();
  parser.end();
  return evaluate(call, roots, text);
}

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  private fail(): never {
    throw runtimeError(`The value for the field is not a valid intrinsic function: ${this.text}`);
  }

  private skip(): void {
    while (this.text[this.at] === ' ') this.at += 1;
  }

  end(): void {
    this.skip();
    if (this.at !== this.text.length) this.fail();
  }

  call(): Argument & { kind: 'call' } {
    const name = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.at));
    if (!name) this.fail();
    this.at += name[0].length;
    this.skip();
    if (this.text[this.at] !== '(') this.fail();
    this.at += 1;
    const args: Argument[] = [];
    this.skip();
    if (this.text[this.at] === ')') {
      this.at += 1;
      return { kind: 'call', name: name[0], args };
    }
    for (;;) {
      args.push(this.argument());
      this.skip();
      const char = this.text[this.at];
      this.at += 1;
      if (char === ')') return { kind: 'call', name: name[0], args };
      if (char !== ',') this.fail();
    }
  }

  private argument(): Argument {
    this.skip();
    const rest = this.text.slice(this.at);
    if (rest.startsWith("'")) {
      let value = '';
      let i = this.at + 1;
      for (; i < this.text.length; i += 1) {
        const char = this.text[i]!;
        if (char === '\\' && i + 1 < this.text.length) {
          const next = this.text[i + 1]!;
          // `\{` and `\}` stay escaped: States.Format reads them as literal braces.
          value += next === '{' || next === '}' ? `\\${next}` : next;
          i += 1;
        } else if (char === "'") break;
        else value += char;
      }
      if (i >= this.text.length) this.fail();
      this.at = i + 1;
      return { kind: 'literal', value };
    }
    if (rest.startsWith('States.')) return this.call();
    if (rest.startsWith('$')) {
      let depth = 0;
      let i = this.at;
      let quote: string | undefined;
      for (; i < this.text.length; i += 1) {
        const char = this.text[i]!;
        if (quote) {
          if (char === quote) quote = undefined;
        } else if (char === "'" || char === '"') quote = char;
        else if (char === '[' || char === '(') depth += 1;
        else if (char === ']' || char === ')') {
          if (depth === 0) break;
          depth -= 1;
        } else if ((char === ',' || char === ' ') && depth === 0) break;
      }
      const path = this.text.slice(this.at, i);
      this.at = i;
      return { kind: 'path', path };
    }
    const literal = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(rest);
    if (!literal) this.fail();
    this.at += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as Json };
  }
}

function evaluate(call: Argument & { kind: 'call' }, roots: PathRoots, text: string): Json {
  const values = call.args.map((arg): Json => {
    if (arg.kind === 'literal') return arg.value;
    if (arg.kind === 'call') return evaluate(arg, roots, text);
    const value = selectPath(arg.path, roots);
    if (value === undefined) {
      throw runtimeError(
        `The JsonPath argument for the field '${text}' could not be found in the input '${JSON.stringify(roots.input)}'`,
      );
    }
    return value;
  });
  const fail = (reason: string): never => {
    throw runtimeError(`The function '${text}' had the following error: ${reason}`);
  };
  const count = (min: number, max = min) => {
    if (values.length < min || values.length > max)
      fail(
        `The function ${call.name} needs ${min === max ? min : `${min} to ${max}`} arguments, ${values.length} given`,
      );
  };
  const string = (index: number): string => {
    const value = values[index];
    if (typeof value !== 'string') fail(`argument ${index + 1} must be a string`);
    return value as string;
  };
  const number = (index: number): number => {
    const value = values[index];
    if (typeof value !== 'number') fail(`argument ${index + 1} must be a number`);
    return value as number;
  };
  const integer = (index: number): number => {
    const value = number(index);
    if (!Number.isInteger(value)) fail(`argument ${index + 1} must be an integer`);
    return value;
  };
  const array = (index: number): Json[] => {
    const value = values[index];
    if (!Array.isArray(value)) fail(`argument ${index + 1} must be an array`);
    return value as Json[];
  };

  switch (call.name) {
    case 'States.Format': {
      if (values.length < 1) fail('States.Format needs a template');
      const template = string(0);
      let next = 1;
      const out = template.replace(/\\([{}])|\{\}/g, (whole, escaped: string | undefined) => {
        if (escaped) return escaped;
        if (next >= values.length) fail('the template has more {} than arguments');
        const value = values[next++]!;
        if (value !== null && typeof value === 'object')
          fail('States.Format takes only strings, numbers, booleans and null');
        return typeof value === 'string' ? value : JSON.stringify(value);
      });
      if (next !== values.length) fail('the template has fewer {} than arguments');
      return out;
    }
    case 'States.StringToJson':
      count(1);
      try {
        return JSON.parse(string(0)) as Json;
      } catch {
        return fail('the argument is not JSON text');
      }
    case 'States.JsonToString':
      count(1);
      return JSON.stringify(values[0]);
    case 'States.Array':
      return values;
    case 'States.ArrayPartition': {
      count(2);
      const items = array(0);
      const size = integer(1);
      if (size <= 0) fail('the chunk size must be greater than 0');
      const chunks: Json[] = [];
      for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
      return chunks;
    }
    case 'States.ArrayContains':
      count(2);
      return array(0).some((item) => sameJson(item, values[1]!));
    case 'States.ArrayRange': {
      count(3);
      const [first, last, step] = [integer(0), integer(1), integer(2)];
      if (step === 0) fail('the step must not be 0');
      const out: Json[] = [];
      for (let value = first; step > 0 ? value <= last : value >= last; value += step) {
        out.push(value);
        if (out.length > 1000) fail('the range has more than 1000 items');
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      count(2);
      const items = array(0);
      const index = integer(1);
      if (index < 0 || index >= items.length) fail(`index ${index} is out of bounds`);
      return items[index]!;
    }
    case 'States.ArrayLength':
      count(1);
      return array(0).length;
    case 'States.ArrayUnique': {
      count(1);
      const seen: Json[] = [];
      for (const item of array(0)) if (!seen.some((known) => sameJson(known, item))) seen.push(item);
      return seen;
    }
    case 'States.Base64Encode':
      count(1);
      return Buffer.from(string(0), 'utf8').toString('base64');
    case 'States.Base64Decode':
      count(1);
      return Buffer.from(string(0), 'base64').toString('utf8');
    case 'States.Hash': {
      count(2);
      const algorithms: Record<string, string> = {
        MD5: 'md5',
        'SHA-1': 'sha1',
        'SHA-256': 'sha256',
        'SHA-384': 'sha384',
        'SHA-512': 'sha512',
      };
      const algorithm = algorithms[string(1)];
      if (!algorithm) fail(`the hash algorithm must be one of ${Object.keys(algorithms).join(', ')}`);
      const data = typeof values[0] === 'string' ? values[0] : JSON.stringify(values[0]);
      return createHash(algorithm!).update(data).digest('hex');
    }
    case 'States.JsonMerge': {
      count(3);
      const [left, right, deep] = values;
      if (!isRecord(left) || !isRecord(right)) fail('States.JsonMerge merges two objects');
      if (deep !== false)
        fail('States.JsonMerge supports only a shallow merge: its third argument must be false');
      return { ...(left as Record<string, Json>), ...(right as Record<string, Json>) };
    }
    case 'States.MathRandom': {
      count(2, 3);
      const [start, end] = [integer(0), integer(1)];
      return start + Math.floor(Math.random() * (end - start + 1));
    }
    case 'States.MathAdd':
      count(2);
      return integer(0) + integer(1);
    case 'States.StringSplit': {
      count(2);
      const delimiters = string(1);
      return string(0)
        .split(new RegExp(`[${delimiters.replace(/[\\\]^-]/g, '\\$&')}]`))
        .filter((part) => part !== '');
    }
    case 'States.UUID':
      count(0);
      return randomUUID();
    default:
      return fail(`${call.name} is not an intrinsic function`);
  }
}

export function sameJson(left: Json, right: Json): boolean {
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right))
    return left.length === right.length && left.every((item, index) => sameJson(item, right[index]!));
  if (isRecord(left) && isRecord(right)) {
    const a = left as Record<string, Json>;
    const b = right as Record<string, Json>;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key]!, b[key]!))
    );
  }
  return false;
}
