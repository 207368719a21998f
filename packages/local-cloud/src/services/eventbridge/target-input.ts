// What a rule's target receives ("Amazon EventBridge input transformation", PutTargets' Target): the event as
// JSON; or `Input`, JSON text sent as it is; or `InputPath`, the part of the event a JSON path names; or an
// `InputTransformer`, whose `InputPathsMap` names values of the event and whose `InputTemplate` places them.
// A template that is a JSON object takes an unquoted `<name>` as the value's JSON (a string gets its quotes)
// and a quoted one as the bare text, unescaped, as EventBridge does; any other template is text with the bare
// values in it. The reserved names: aws.events.rule-arn, aws.events.rule-name, aws.events.event (the event
// without `detail`), aws.events.event.json (the whole event) and aws.events.event.ingestion-time.
import { isRecord } from '../../common/records';

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

export interface TargetInput {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

export interface RuleInfo {
  name: string;
  arn: string;
}

/** The body a target gets for an event delivered by a rule. */
export function targetBody(target: TargetInput, event: Record<string, unknown>, rule: RuleInfo): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(jsonPath(event, target.InputPath) ?? null);
  if (target.InputTransformer) return transform(target.InputTransformer, event, rule);
  return JSON.stringify(event);
}

/**
 * The value a path names: `$`, `$.detail.state`, `$.detail.items[0]`, `$.detail['a b']`. Undefined when the
 * event has nothing there.
 */
export function jsonPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) return undefined;
  const steps: (string | number)[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g;
  const rest = path.slice(1);
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(rest)) !== null) {
    if (match.index !== consumed) return undefined;
    consumed = match.index + match[0].length;
    if (match[2] !== undefined) steps.push(Number(match[2]));
    else steps.push(match[1] ?? match[3] ?? match[4] ?? '');
  }
  if (consumed !== rest.length) return undefined;

  let current: unknown = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!isRecord(current)) return undefined;
      current = Object.hasOwn(current, step) ? current[step] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Names an InputPathsMap may not take: EventBridge's own. */
export const RESERVED_VARIABLES = [
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event',
  'aws.events.event.json',
  'aws.events.event.ingestion-time',
];

function transform(transformer: InputTransformer, event: Record<string, unknown>, rule: RuleInfo): string {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    const value = jsonPath(event, path);
    if (value !== undefined) values.set(name, value);
  }
  const { detail: _detail, ...withoutDetail } = event;
  values.set('aws.events.rule-arn', rule.arn);
  values.set('aws.events.rule-name', rule.name);
  values.set('aws.events.event.ingestion-time', event.time);
  const raw = new Map<string, string>([
    ['aws.events.event', JSON.stringify(withoutDetail)],
    ['aws.events.event.json', JSON.stringify(event)],
  ]);
  const template = transformer.InputTemplate;
  const json = /^\s*[{[]/.test(template);
  let insideString = false;
  let output = '';
  for (let i = 0; i < template.length; i += 1) {
    const char = template[i]!;
    if (json && char === '\\' && insideString) {
      output += char + (template[i + 1] ?? '');
      i += 1;
      continue;
    }
    if (json && char === '"') insideString = !insideString;
    const placeholder = char === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i)) : null;
    if (!placeholder) {
      output += char;
      continue;
    }
    const name = placeholder[1]!;
    i += placeholder[0].length - 1;
    if (raw.has(name)) {
      output += raw.get(name);
      continue;
    }
    if (!values.has(name)) {
      // A variable whose path the event lacks is not created: nothing is inserted (null as a JSON value).
      output += json && !insideString ? 'null' : '';
      continue;
    }
    const value = values.get(name);
    if (json && !insideString) output += JSON.stringify(value);
    else output += typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (!json) return output;
  // The JSON passed to the target is minified; a template that is not valid JSON once filled goes as it is.
  try {
    return JSON.stringify(JSON.parse(output));
  } catch {
    return output;
  }
}
