// The JSONPath the states language uses (https://states-language.net/spec.html#path): `$` the state's input,
// `$$` the context object, `$name` a workflow variable; then `.field`, `['field']`, `[2]`, `[*]`, `.*`, `[1:3]`
// and `..field`. A path with a wildcard, slice or descent selects a list; any other ("definite") path selects
// one value or fails. Reference paths (ResultPath) are the definite ones, and can also write.
import { isRecord } from '../../common/records';
import { runtimeError } from './errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number }
  | { kind: 'descent'; name: string };

export interface ParsedPath {
  /** `$` input, `$$` context, or a variable's name. */
  root: { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };
  steps: Step[];
  definite: boolean;
}

const cache = new Map<string, ParsedPath>();

export function parsePath(path: string): ParsedPath {
  const cached = cache.get(path);
  if (cached) return cached;
  const parsed = parse(path);
  if (cache.size < 10_000) cache.set(path, parsed);
  return parsed;
}

function parse(path: string): ParsedPath {
  if (!path.startsWith('$'))
    throw runtimeError(`The path '${path}' is not a valid JSONPath: it must start with $`);
  let at = 1;
  let root: ParsedPath['root'] = { kind: 'input' };
  if (path[1] === '$') {
    root = { kind: 'context' };
    at = 2;
  } else {
    const variable = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(1));
    if (variable) {
      root = { kind: 'variable', name: variable[0] };
      at = 1 + variable[0].length;
    }
  }
  const steps: Step[] = [];
  const invalid = () => runtimeError(`The path '${path}' is not a valid JSONPath`);
  while (at < path.length) {
    const char = path[at];
    if (char === '.') {
      if (path[at + 1] === '.') {
        const name = /^[^.[\]]+/.exec(path.slice(at + 2));
        if (!name) throw invalid();
        steps.push({ kind: 'descent', name: name[0] });
        at += 2 + name[0].length;
        continue;
      }
      if (path[at + 1] === '*') {
        steps.push({ kind: 'wildcard' });
        at += 2;
        continue;
      }
      const name = /^[^.[\]]+/.exec(path.slice(at + 1));
      if (!name) throw invalid();
      steps.push({ kind: 'field', name: name[0] });
      at += 1 + name[0].length;
    } else if (char === '[') {
      const close = findClose(path, at);
      if (close === -1) throw invalid();
      const inner = path.slice(at + 1, close).trim();
      at = close + 1;
      const quoted = /^(['"])(.*)\1$/s.exec(inner);
      if (quoted) steps.push({ kind: 'field', name: quoted[2]!.replace(/\\(.)/g, '$1') });
      else if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [start, end] = inner.split(':');
        steps.push({
          kind: 'slice',
          ...(start ? { start: Number(start) } : {}),
          ...(end ? { end: Number(end) } : {}),
        });
      } else throw invalid();
    } else throw invalid();
  }
  const definite = steps.every((step) => step.kind === 'field' || step.kind === 'index');
  return { root, steps, definite };
}

function findClose(path: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < path.length; i += 1) {
    const char = path[i]!;
    if (quote) {
      if (char === '\\') i += 1;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === ']') return i;
  }
  return -1;
}

export interface PathRoots {
  input: Json;
  context: Json;
  variables: ReadonlyMap<string, Json>;
}

/** What a path selects; undefined when a definite path names nothing. */
export function selectPath(path: string, roots: PathRoots): Json | undefined {
  const parsed = parsePath(path);
  let start: Json | undefined;
  if (parsed.root.kind === 'input') start = roots.input;
  else if (parsed.root.kind === 'context') start = roots.context;
  else {
    if (!roots.variables.has(parsed.root.name)) return undefined;
    start = roots.variables.get(parsed.root.name);
  }
  if (start === undefined) return undefined;
  if (parsed.definite) {
    let value: Json | undefined = start;
    for (const step of parsed.steps) {
      value = definiteStep(value, step);
      if (value === undefined) return undefined;
    }
    return value;
  }
  let values: Json[] = [start];
  for (const step of parsed.steps) values = values.flatMap((value) => indefiniteStep(value, step));
  return values;
}

function definiteStep(value: Json | undefined, step: Step): Json | undefined {
  if (step.kind === 'field')
    return isRecord(value) && Object.hasOwn(value, step.name)
      ? (value as Record<string, Json>)[step.name]
      : undefined;
  if (step.kind === 'index' && Array.isArray(value)) {
    const index = step.index < 0 ? value.length + step.index : step.index;
    return value[index];
  }
  return undefined;
}

function indefiniteStep(value: Json, step: Step): Json[] {
  switch (step.kind) {
    case 'field':
    case 'index': {
      const found = definiteStep(value, step);
      return found === undefined ? [] : [found];
    }
    case 'wildcard':
      return Array.isArray(value)
        ? value
        : isRecord(value)
          ? Object.values(value as Record<string, Json>)
          : [];
    case 'slice':
      return Array.isArray(value) ? value.slice(step.start ?? 0, step.end ?? value.length) : [];
    case 'descent': {
      const found: Json[] = [];
      const walk = (node: Json) => {
        if (isRecord(node)) {
          const record = node as Record<string, Json>;
          if (Object.hasOwn(record, step.name)) found.push(record[step.name]!);
          Object.values(record).forEach(walk);
        } else if (Array.isArray(node)) node.forEach(walk);
      };
      walk(value);
      return found;
    }
  }
}

/**
 * ResultPath: `target` (the state's raw input) with `value` placed where the reference path points, the fields
 * on the way created; the input itself is not changed. `$` replaces the input entirely.
 */
export function placeAtPath(target: Json, path: string, value: Json): Json | undefined {
  const parsed = parsePath(path);
  if (parsed.root.kind !== 'input' || !parsed.definite) return undefined;
  if (parsed.steps.length === 0) return value;
  const root: Json = structuredClone(target);
  if (!isRecord(root) && !Array.isArray(root)) return undefined;
  let node: Json = root;
  parsed.steps.forEach((step, index) => {
    if (node === undefined) return;
    const last = index === parsed.steps.length - 1;
    if (step.kind === 'field') {
      if (!isRecord(node)) {
        node = undefined as unknown as Json;
        return;
      }
      const record = node as Record<string, Json>;
      if (last) record[step.name] = value;
      else {
        if (!isRecord(record[step.name]) && !Array.isArray(record[step.name])) record[step.name] = {};
        node = record[step.name]!;
      }
    } else if (step.kind === 'index') {
      if (!Array.isArray(node) || step.index >= node.length) {
        node = undefined as unknown as Json;
        return;
      }
      if (last) node[step.index] = value;
      else node = node[step.index]!;
    }
  });
  return node === undefined ? undefined : root;
}

export function isJsonPath(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('$');
}

/** A value as text: a string as is, anything else as its JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}
