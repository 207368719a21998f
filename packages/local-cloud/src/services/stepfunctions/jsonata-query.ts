// JSONata in a state (`QueryLanguage: JSONata`): any string of Arguments, Output, Assign, Items, Condition,
// Seconds, ... written `{% expression %}` is evaluated with `$states` (input, result, errorOutput, context) and
// the workflow's variables bound, plus the functions Step Functions adds ($partition, $range, $hash, $random,
// $uuid, $parse). An expression that fails, or gives nothing, is States.QueryEvaluationError, as
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html says.
import { createHash, randomUUID } from 'node:crypto';
import type jsonata from 'jsonata';
import { isRecord } from '../../common/records';
import { StatesError } from './errors';
import type { Json } from './paths';

/* eslint-disable @typescript-eslint/no-require-imports -- JSONata is loaded by the first machine that uses it */
let jsonataModule: typeof jsonata | undefined;
const loadJsonata = () => (jsonataModule ??= require('jsonata') as typeof jsonata);
/* eslint-enable @typescript-eslint/no-require-imports */

const compiled = new Map<string, jsonata.Expression>();

export interface StatesBinding {
  input: Json;
  context: Json;
  result?: Json;
  errorOutput?: Json;
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value.trim());
}

function compile(expression: string): jsonata.Expression {
  const cached = compiled.get(expression);
  if (cached) return cached;
  let found: jsonata.Expression;
  try {
    found = loadJsonata()(expression);
  } catch (error) {
    throw new StatesError(
      'States.QueryEvaluationError',
      `The JSONata expression '${expression.trim()}' is not valid: ${(error as Error).message}`,
    );
  }
  found.registerFunction('uuid', () => randomUUID(), '<:s>');
  found.registerFunction('parse', (text: string) => JSON.parse(text) as unknown, '<s:x>');
  found.registerFunction(
    'hash',
    (data: string, algorithm: string) => {
      const names: Record<string, string> = {
        MD5: 'md5',
        'SHA-1': 'sha1',
        'SHA-256': 'sha256',
        'SHA-384': 'sha384',
        'SHA-512': 'sha512',
      };
      const name = names[algorithm];
      if (!name) throw new Error(`unknown hash algorithm ${algorithm}`);
      return createHash(name).update(data).digest('hex');
    },
    '<ss:s>',
  );
  found.registerFunction(
    'partition',
    (items: unknown[], size: number) => {
      const chunks: unknown[][] = [];
      for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
      return chunks;
    },
    '<an:a>',
  );
  found.registerFunction(
    'range',
    (first: number, last: number, step: number) => {
      const out: number[] = [];
      for (let value = first; step > 0 ? value <= last : value >= last; value += step) out.push(value);
      return out;
    },
    '<nnn:a>',
  );
  found.registerFunction(
    'random',
    (seed?: number) => (seed === undefined ? Math.random() : mulberry(seed)),
    '<n?:n>',
  );
  if (compiled.size < 5_000) compiled.set(expression, found);
  return found;
}

function mulberry(seed: number): number {
  let t = (seed + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** One `{% %}` string evaluated. */
export async function evaluateExpression(
  text: string,
  states: StatesBinding,
  variables: ReadonlyMap<string, Json>,
  field: string,
): Promise<Json> {
  const expression = EXPRESSION.exec(text.trim())![1]!;
  let value: unknown;
  try {
    value = await compile(expression).evaluate({}, { ...Object.fromEntries(variables), states });
  } catch (error) {
    if (error instanceof StatesError) throw error;
    const message = isRecord(error) && typeof error.message === 'string' ? error.message : String(error);
    throw new StatesError(
      'States.QueryEvaluationError',
      `An error occurred while evaluating the JSONata expression '${expression.trim()}' of the field '${field}': ${message}`,
    );
  }
  if (value === undefined) {
    throw new StatesError(
      'States.QueryEvaluationError',
      `The JSONata expression '${expression.trim()}' specified for the field '${field}' returned nothing (undefined).`,
    );
  }
  return plain(value);
}

/** A template of Arguments, Output or Assign: every `{% %}` string in it evaluated, the rest as written. */
export async function evaluateTemplate(
  template: unknown,
  states: StatesBinding,
  variables: ReadonlyMap<string, Json>,
  field: string,
): Promise<Json> {
  if (isExpression(template)) return evaluateExpression(template, states, variables, field);
  if (Array.isArray(template)) {
    const out: Json[] = [];
    for (const [index, item] of template.entries())
      out.push(await evaluateTemplate(item, states, variables, `${field}[${index}]`));
    return out;
  }
  if (isRecord(template)) {
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(template))
      out[key] = await evaluateTemplate(value, states, variables, key);
    return out;
  }
  return template as Json;
}

/** JSONata's sequences and frozen arrays, as plain JSON. */
function plain(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value) ?? 'null') as Json;
}
