import {
  ensureNotImplementedImport,
  locateRegions,
  MarkerError,
  releaseText,
  removeHiddenTests,
  withLintDirective,
} from '../src/release/markers';

const titles = new Map([
  ['greet', 'Greet the caller'],
  ['count', 'Count the calls'],
]);

const source = [
  "import { helper } from './helper';",
  '',
  'export function greet(name: string): string {',
  '  // BEGIN SOLUTION greet',
  '  // TODO(greet): return "Hello, <name>!" for a name,',
  '  //   and "Hello, world!" without one.',
  '  // Solution comments stay out of the starter.',
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

describe('releasing a code file', () => {
  it('replaces each region by its TODO lines and a NotImplemented stub, and imports NotImplemented', () => {
    const released = releaseText(source, 'code', titles);

    expect(released.text).toBe(
      [
        "import { NotImplemented } from '@serverless-course/test-kit/not-implemented';",
        "import { helper } from './helper';",
        '',
        'export function greet(name: string): string {',
        '  // TODO(greet): return "Hello, <name>!" for a name,',
        '  //   and "Hello, world!" without one.',
        "  throw new NotImplemented('greet');",
        '}',
        '',
        'export function count(): number {',
        '  // TODO(count): Count the calls.',
        "  throw new NotImplemented('count');",
        '}',
        '',
      ].join('\n'),
    );
    expect(released.tasks).toEqual(['greet', 'count']);
  });

  it.each(['@serverless-course/test-kit', '@serverless-course/test-kit/not-implemented'])(
    'does not add the import twice when the file imports it from %s',
    (module) => {
      const withImport = `import { NotImplemented } from '${module}';\n${source}`;

      const released = releaseText(withImport, 'code', titles);

      expect(released.text.match(/import \{ NotImplemented \}/g)).toHaveLength(1);
    },
  );

  it('puts the import after the leading comment of a file without imports', () => {
    const text =
      '// Counts calls.\n\nexport function count(): number {\n  // BEGIN SOLUTION count\n  return 1;\n  // END SOLUTION\n}\n';

    const released = releaseText(text, 'code', titles);

    expect(released.text.split('\n').slice(0, 3)).toEqual([
      '// Counts calls.',
      "import { NotImplemented } from '@serverless-course/test-kit/not-implemented';",
      '',
    ]);
  });

  it('requires NotImplemented in a CommonJS file', () => {
    const text =
      "const path = require('node:path');\nexports.count = () => {\n  // BEGIN SOLUTION count\n  return 1;\n  // END SOLUTION\n};\n";

    const released = releaseText(text, 'code', titles);

    expect(released.text.split('\n')[0]).toBe(
      "const { NotImplemented } = require('@serverless-course/test-kit/not-implemented');",
    );
  });

  it('leaves a file without markers exactly as it is', () => {
    const text = 'export const answer = 42;\n';

    expect(releaseText(text, 'code', titles)).toEqual({ text, tasks: [], hiddenTestsRemoved: false });
  });
});

describe('releasing a YAML file', () => {
  it('keeps the TODO line and the #| starter lines without their prefix, and drops the solution', () => {
    const yaml = [
      'functions:',
      '  # BEGIN SOLUTION greet',
      '  # TODO(greet): add the greet function with an http GET /greet event.',
      '  #| greet:',
      '  #|   handler: src/greet.handler',
      '  greet:',
      '    handler: src/greet.handler',
      '    events:',
      '      - http: GET greet',
      '  # END SOLUTION',
      '',
    ].join('\n');

    const released = releaseText(yaml, 'yaml', titles);

    expect(released.text).toBe(
      [
        'functions:',
        '  # TODO(greet): add the greet function with an http GET /greet event.',
        '  greet:',
        '    handler: src/greet.handler',
        '',
      ].join('\n'),
    );
  });
});

describe('hidden tests', () => {
  it('are removed with their markers', () => {
    const text =
      "it('a', () => {});\n// BEGIN HIDDEN TESTS\nit('secret', () => {});\n// END HIDDEN TESTS\nit('b', () => {});\n";

    expect(removeHiddenTests(text)).toEqual({
      text: "it('a', () => {});\nit('b', () => {});\n",
      removed: true,
    });
  });

  it('take the blank line above them along when a closing bracket or the end of the file follows', () => {
    const text = [
      "describe('x', () => {",
      "  it('a', () => {});",
      '',
      '  // BEGIN HIDDEN TESTS',
      "  it('secret', () => {});",
      '  // END HIDDEN TESTS',
      '});',
      '',
      '// BEGIN HIDDEN TESTS',
      "it('secret too', () => {});",
      '// END HIDDEN TESTS',
      '',
    ].join('\n');

    expect(removeHiddenTests(text).text).toBe("describe('x', () => {\n  it('a', () => {});\n});\n");
  });

  it('must be closed', () => {
    expect(() => removeHiddenTests('// BEGIN HIDDEN TESTS\nit();\n')).toThrow(
      new MarkerError(1, 'BEGIN HIDDEN TESTS has no END HIDDEN TESTS'),
    );
  });
});

describe('malformed regions', () => {
  it.each([
    [
      'an unclosed region',
      '// BEGIN SOLUTION greet\nreturn 1;\n',
      1,
      'BEGIN SOLUTION greet has no END SOLUTION',
    ],
    [
      'an END without BEGIN',
      'return 1;\n// END SOLUTION\n',
      2,
      'END SOLUTION without a BEGIN SOLUTION above it',
    ],
    [
      'a nested region',
      '// BEGIN SOLUTION greet\n// BEGIN SOLUTION count\n',
      2,
      'BEGIN SOLUTION inside the region opened on line 1',
    ],
    [
      'an unknown task',
      '// BEGIN SOLUTION grete\n// END SOLUTION\n',
      1,
      'BEGIN SOLUTION grete names no task of lab.json (tasks: greet, count)',
    ],
    [
      'a region without a task id',
      '// BEGIN SOLUTION\n// END SOLUTION\n',
      1,
      'BEGIN SOLUTION needs a task id: BEGIN SOLUTION <task-id>',
    ],
  ])('%s is reported with its line', (_case, text, line, problem) => {
    expect(() => releaseText(text, 'code', titles)).toThrow(new MarkerError(line, problem));
  });
});

describe('finding regions in a file edited only inside them', () => {
  const { layout, text: starter } = releaseText(source, 'code', titles);

  it('gives what the student wrote in each region', () => {
    const edited = starter
      .replace("  throw new NotImplemented('greet');", '  return `Hello, ${name}!`;\n  // done')
      .replace("  throw new NotImplemented('count');", '  return 2;');

    const regions = locateRegions(edited, layout!);

    expect(regions![0]).toContain('return `Hello, ${name}!`;\n  // done');
    expect(regions![1]).toBe('  // TODO(count): Count the calls.\n  return 2;');
  });

  it('gives up when the text outside the regions changed', () => {
    const edited = starter.replace('export function count', 'export function countCalls');

    expect(locateRegions(edited, layout!)).toBeUndefined();
  });
});

describe('the lint directive', () => {
  it('goes above the stub import and names the rules the stubs break, with why', () => {
    const released = releaseText(source, 'code', titles);

    const directed = withLintDirective(released, ['@typescript-eslint/no-unused-vars']);

    expect(directed.text.split('\n').slice(0, 4)).toEqual([
      '/* eslint-disable @typescript-eslint/no-unused-vars --',
      '   The stubs below leave parameters and imports unused until you write their tasks.',
      '   Lint says when this comment is no longer needed: delete it then. */',
      "import { NotImplemented } from '@serverless-course/test-kit/not-implemented';",
    ]);
    expect(directed.layout!.outside[0]).toContain('eslint-disable');
  });

  it('is left out when no rule complains', () => {
    const released = releaseText(source, 'code', titles);

    expect(withLintDirective(released, [])).toBe(released);
  });
});

describe('the stub import after an edit', () => {
  it('comes back when a stub needs it', () => {
    const text =
      "import { helper } from './helper';\n\nexport const f = () => {\n  throw new NotImplemented('greet');\n};\n";

    expect(ensureNotImplementedImport(text).split('\n')[0]).toBe(
      "import { NotImplemented } from '@serverless-course/test-kit/not-implemented';",
    );
  });

  it('stays away when no stub is left', () => {
    const text = "import { helper } from './helper';\n\nexport const f = () => helper();\n";

    expect(ensureNotImplementedImport(text)).toBe(text);
  });
});
