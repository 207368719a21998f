import { summarizeFailure, summarizeSuiteError, toSuiteResults, type JestJson } from '../src/jest-report';

const labDir = '/course/labs/01-hello';

describe('toSuiteResults', () => {
  it('turns Jest JSON into files relative to the lab folder with their tests and outcomes', () => {
    const report: JestJson = {
      testResults: [
        {
          name: `${labDir}/test/greet.test.js`,
          status: 'failed',
          message: '  ● greet › reads the name\n...',
          assertionResults: [
            { ancestorTitles: ['greet'], title: 'says hi', fullName: 'greet says hi', status: 'passed' },
            {
              ancestorTitles: ['greet'],
              title: 'reads the name',
              status: 'failed',
              failureMessages: [
                'Error: expect(received).toBe(expected)\n\nExpected: 2\nReceived: 1\n    at Object.<anonymous>',
              ],
            },
            { ancestorTitles: ['greet'], title: 'later', fullName: 'greet later', status: 'todo' },
          ],
        },
      ],
    };

    const suites = toSuiteResults(report, [labDir]);

    expect(suites).toEqual([
      {
        file: 'test/greet.test.js',
        tests: [
          { fullName: 'greet says hi', status: 'passed' },
          {
            fullName: 'greet reads the name',
            status: 'failed',
            failure: 'Error: expect(received).toBe(expected)\nExpected: 2\nReceived: 1',
            failureMessage:
              'Error: expect(received).toBe(expected)\n\nExpected: 2\nReceived: 1\n    at Object.<anonymous>',
          },
          { fullName: 'greet later', status: 'skipped' },
        ],
      },
    ]);
  });

  it('marks a failed file without failed tests as one that could not run, with its error', () => {
    const report: JestJson = {
      testResults: [
        {
          name: `${labDir}/test/greet.test.js`,
          status: 'failed',
          message:
            '  ● Test suite failed to run\n\n    TODO(greet): return a greeting\n\n      at Object.<anonymous>',
          assertionResults: [],
        },
      ],
    };

    const suites = toSuiteResults(report, [labDir]);

    expect(suites).toEqual([
      { file: 'test/greet.test.js', error: 'TODO(greet): return a greeting', tests: [] },
    ]);
  });
});

describe('summarizeFailure', () => {
  it('keeps the first three lines before the stack trace, without colour codes', () => {
    const message = '\u001b[31mError: boom\u001b[39m\n\nline two\nline three\nline four\n    at x (y.js:1:1)';

    expect(summarizeFailure(message)).toBe('Error: boom\nline two\nline three');
  });
});

describe('summarizeSuiteError', () => {
  it("picks the syntax error out of Jest's transform advice and shortens its path", () => {
    const message =
      '  ● Test suite failed to run\n\n    Jest encountered an unexpected token\n\n    Details:\n\n' +
      `    SyntaxError: ${labDir}/test/c.test.js: Unexpected token (1:26)\n`;

    expect(summarizeSuiteError(message, [labDir])).toBe(
      'SyntaxError: test/c.test.js: Unexpected token (1:26)',
    );
  });
});
