import { releaseText } from '../src/release/markers';
import { resetTask } from '../src/release/regions';

const titles = new Map([
  ['greet', 'Greet the caller'],
  ['count', 'Count the calls'],
]);

const reference = [
  "import { helper } from './helper';",
  '',
  'export function greet(name: string): string {',
  '  // BEGIN SOLUTION greet',
  '  // TODO(greet): return "Hello, <name>!".',
  '  return helper(name);',
  '  // END SOLUTION',
  '}',
  '',
  'export function count(): number {',
  '  // BEGIN SOLUTION count',
  '  return 1;',
  '  // END SOLUTION',
  '}',
  '',
].join('\n');

const { layout, text: starter } = releaseText(reference, 'code', titles);
const GREET_STUB = "  throw new NotImplemented('greet');";
const COUNT_STUB = "  throw new NotImplemented('count');";

/** The starter with both tasks written, the way a student leaves a finished file. */
const solved = starter.replace(GREET_STUB, '  return `Hello, ${name}!`;').replace(COUNT_STUB, '  return 2;');

describe("resetting a task's regions", () => {
  it('puts back its stub and the NotImplemented import the student removed once nothing used it', () => {
    const edited = solved.replace(/^import \{ NotImplemented \}.*\n/m, '');

    const reset = resetTask(edited, layout!, 'code', 'greet');

    expect(reset).toBe(starter.replace(COUNT_STUB, '  return 2;'));
  });

  it('keeps imports and helpers the student added around the regions', () => {
    const edited = solved
      .replace(
        "import { helper } from './helper';",
        "import { helper } from './helper';\nimport os from 'node:os';",
      )
      .replace(
        'export function count',
        'const twice = (n: number): number => n * 2;\n\nexport function count',
      );

    const reset = resetTask(edited, layout!, 'code', 'count');

    expect(reset).toContain("import os from 'node:os';");
    expect(reset).toContain('const twice = (n: number): number => n * 2;');
    expect(reset).toContain('return `Hello, ${name}!`;');
    expect(reset).toContain(`  // TODO(count): Count the calls.\n${COUNT_STUB}\n}`);
  });

  it('finds a region whose TODO line the student deleted, by the lines above it', () => {
    const edited = solved.replace('  // TODO(greet): return "Hello, <name>!".\n', '');

    const reset = resetTask(edited, layout!, 'code', 'greet');

    expect(reset).toContain(`  // TODO(greet): return "Hello, <name>!".\n${GREET_STUB}\n}`);
    expect(reset).not.toContain('Hello, ${name}!');
  });

  it('replaces code the student wrote above the TODO line too', () => {
    const edited = solved.replace('  // TODO(greet)', '  const trimmed = name.trim();\n  // TODO(greet)');

    const reset = resetTask(edited, layout!, 'code', 'greet');

    expect(reset).not.toContain('trimmed');
  });

  it('resets every region when no task is named', () => {
    expect(resetTask(solved, layout!, 'code', undefined)).toBe(starter);
  });

  it('gives up when neither the TODO line nor the lines above the region are left', () => {
    const edited = solved
      .replace('  // TODO(greet): return "Hello, <name>!".\n', '')
      .replace('export function greet(name: string)', 'export function greet(who: string)');

    expect(resetTask(edited, layout!, 'code', 'greet')).toBeUndefined();
  });

  it('finds each of two regions of one task in one file', () => {
    const twice = releaseText(
      reference.replace('BEGIN SOLUTION count', 'BEGIN SOLUTION greet'),
      'code',
      titles,
    );
    const edited = twice.text.replace(GREET_STUB, '  return name;').replace(GREET_STUB, '  return 2;');

    expect(resetTask(edited, twice.layout!, 'code', 'greet')).toBe(twice.text);
  });
});

describe('resetting a YAML region', () => {
  const yaml = [
    'service: images',
    'functions:',
    '  # BEGIN SOLUTION greet',
    '  # TODO(greet): add the greet function.',
    '  #| greet:',
    '  #|   handler: src/greet.handler',
    '  greet:',
    '    handler: src/greet.handler',
    '    events:',
    '      - http: GET greet',
    '  # END SOLUTION',
    '  count:',
    '    handler: src/count.handler',
    '',
  ].join('\n');
  const released = releaseText(yaml, 'yaml', titles);

  it("restores the starter lines and keeps the student's other edits", () => {
    const edited = released.text
      .replace('service: images', 'service: images\nprovider:\n  name: aws')
      .replace(
        '    handler: src/greet.handler',
        '    handler: src/greet.handler\n    events:\n      - http: GET hi',
      );

    const reset = resetTask(edited, released.layout!, 'yaml', 'greet');

    expect(reset).toBe(released.text.replace('service: images', 'service: images\nprovider:\n  name: aws'));
  });
});
