import fs from 'node:fs';
import path from 'node:path';
import type { FixtureLab, FixtureWorkspace } from './workspace';

/** The workspace's own node_modules, linked into fixtures so stubs can import the real test kit. */
const NODE_MODULES = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules');

export const ADD_SOLUTION = [
  'exports.add = (a, b) => {',
  '  // BEGIN SOLUTION add',
  '  // TODO(add): return the sum of a and b.',
  '  return a + b;',
  '  // END SOLUTION',
  '};',
  '',
].join('\n');

export const GREET_SOLUTION = [
  'exports.greet = (name) => {',
  '  // BEGIN SOLUTION greet',
  '  return `Hello, ${name}!`;',
  '  // END SOLUTION',
  '};',
  '',
].join('\n');

export const ADD_TEST = [
  "const { add } = require('../src/add');",
  '',
  "describe('add', () => {",
  "  it('adds two numbers', () => expect(add(2, 3)).toBe(5));",
  '  // BEGIN HIDDEN TESTS',
  "  it('adds negative numbers', () => expect(add(-2, -3)).toBe(-5));",
  '  // END HIDDEN TESTS',
  '});',
  '',
].join('\n');

export const GREET_TEST = [
  "const { greet } = require('../src/greet');",
  '',
  "describe('greet', () => {",
  "  it('greets by name', () => expect(greet('Ada')).toBe('Hello, Ada!'));",
  '});',
  '',
].join('\n');

/** A one-lab course in plain JavaScript (no transform, so its Jest runs take about a second). */
export const adderLab: FixtureLab = {
  folder: '01-adder',
  title: 'Adder',
  tasks: [
    {
      id: 'add',
      title: 'Add two numbers',
      points: 10,
      tests: ['test/add.test.js'],
      hints: ['Use +.', 'return a + b;'],
    },
    { id: 'greet', title: 'Greet by name', points: 5, tests: ['greet'], hints: ['A template string.'] },
  ],
  files: {
    // The test kit is TypeScript, so the lab compiles .ts (as every real lab does, through jest.base.js).
    'jest.config.js':
      "module.exports = { testEnvironment: 'node', testMatch: ['<rootDir>/test/**/*.test.js'], transform: { '^.+\\\\.ts$': '@swc/jest' } };\n",
    'package.json': JSON.stringify({
      name: 'lab-01-adder',
      dependencies: { '@serverless-course/test-kit': '0.1.0' },
    }),
    'src/add.js': ADD_SOLUTION,
    'src/greet.js': GREET_SOLUTION,
    'test/add.test.js': ADD_TEST,
    'test/greet.test.js': GREET_TEST,
  },
};

export function linkNodeModules(workspace: FixtureWorkspace): void {
  fs.symlinkSync(NODE_MODULES, path.join(workspace.root, 'node_modules'), 'dir');
}

/** Copies a folder (a released edition, say) into a new submission folder next to it. */
export function copySubmission(from: string, to: string, edits: Record<string, string | null> = {}): string {
  fs.cpSync(from, to, { recursive: true, filter: (source) => path.basename(source) !== 'node_modules' });
  for (const [file, text] of Object.entries(edits)) {
    const target = path.join(to, file);
    if (text === null) fs.rmSync(target);
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }
  }
  return to;
}
