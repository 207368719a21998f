// A definition checked as CreateStateMachine checks it, with asl-validator (the Amazon States Language's JSON
// schema and its rules: transitions to states that exist, a terminal state, no duplicate names, ...), plus what
// local-cloud cannot run: task resources it does not emulate. Each problem is one line naming the state.
import { isRecord } from '../../common/records';
import type { Definition } from './interpreter';

/* eslint-disable @typescript-eslint/no-require-imports -- asl-validator (and its ajv schemas) load only for machines */
type Validator = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => {
  isValid: boolean;
  errors: { 'Error code': string; Message: string; schemaError?: { instancePath: string } }[];
};
let validator: Validator | undefined;
const loadValidator = () => (validator ??= require('asl-validator') as Validator);
/* eslint-enable @typescript-eslint/no-require-imports */

/** The definition's problems, one line each; none when it is valid. */
export function definitionErrors(definition: unknown): string[] {
  if (!isRecord(definition)) return ['the definition is not a JSON object'];
  // The validator writes QueryLanguage into the states it checks: it gets a copy.
  const result = loadValidator()(structuredClone(definition), { checkPaths: true, checkArn: false });
  if (result.isValid) return [];
  return result.errors.map((error) => {
    const path = error.schemaError?.instancePath;
    const state = path ? /\/States\/([^/]+)(?!.*\/States\/)/.exec(path)?.[1] : undefined;
    const where = state
      ? `state '${decodeURIComponent(state.replace(/~1/g, '/').replace(/~0/g, '~'))}': `
      : '';
    return `${where}${error.Message} (${error['Error code']})`;
  });
}

const SUPPORTED = [
  /^arn:aws:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/,
  /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/,
  /^arn:aws:states:::dynamodb:(getItem|putItem|updateItem|deleteItem)$/,
  /^arn:aws:states:::aws-sdk:dynamodb:(getItem|putItem|updateItem|deleteItem|query|scan)$/,
  /^arn:aws:states:::sqs:sendMessage(\.waitForTaskToken)?$/,
  /^arn:aws:states:::sns:publish(\.waitForTaskToken)?$/,
  /^arn:aws:states:::events:putEvents(\.waitForTaskToken)?$/,
  /^arn:aws:states:::states:startExecution(\.sync(:2)?|\.waitForTaskToken)?$/,
];

/** Task resources local-cloud does not run, and Map features it leaves out, with the state's name. */
export function unsupportedFeatures(definition: Definition): string[] {
  const lines: string[] = [];
  const walk = (states: unknown) => {
    if (!isRecord(states)) return;
    for (const [name, state] of Object.entries(states)) {
      if (!isRecord(state)) continue;
      if (
        state.Type === 'Task' &&
        typeof state.Resource === 'string' &&
        !SUPPORTED.some((pattern) => pattern.test(state.Resource as string))
      ) {
        lines.push(
          `state '${name}': local-cloud does not emulate the task resource ${state.Resource}; the state fails with States.Runtime when it runs`,
        );
      }
      if (state.Type === 'Map') {
        if (state.ItemReader !== undefined)
          lines.push(
            `state '${name}': ItemReader (reading items from S3) is not emulated; give the items in the input`,
          );
        if (state.ResultWriter !== undefined)
          lines.push(`state '${name}': ResultWriter is not emulated; the results are the state's output`);
      }
      for (const branch of Array.isArray(state.Branches) ? state.Branches : [])
        if (isRecord(branch)) walk(branch.States);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (isRecord(processor)) walk(processor.States);
    }
  };
  walk(definition.States);
  return lines;
}
