import { expectedTexts, regexPieces } from '../src/doctor/expected-texts';
import { taskSections } from '../src/doctor/lesson-sections';

function expectationsOf(test: string) {
  const found = expectedTexts('test/x.test.tsx', test);
  return {
    pieces: found.expected.map((expectation) => expectation.pieces),
    found,
  };
}

describe('the texts a test expects of the student', () => {
  it("are the expected values of Jest's and jest-dom's matchers, not their inputs or negations", () => {
    const { pieces } = expectationsOf(
      [
        "it('greets', async () => {",
        "  const response = await handler({ name: 'Ada' });",
        "  expect(response.body).toBe('Hello, Ada!');",
        '  expect(response.statusCode).toBe(200);',
        "  await expect(invoke('x')).rejects.toThrow(/queue the event \\(202\\)/);",
        "  expect(response.body).not.toContain('<script>');",
        "  expect(field).toHaveAttribute('aria-invalid', 'false');",
        '});',
      ].join('\n'),
    );

    expect(pieces).toEqual([['Hello, Ada!'], ['queue the event (202)'], ['aria-invalid="false"', '`false`']]);
  });

  it('include what Testing Library looks for: texts, names, and roles HTML does not give by itself', () => {
    const { pieces } = expectationsOf(
      [
        "it('shows', async () => {",
        "  await screen.findByRole('alert');",
        "  screen.getByRole('button', { name: 'Create group' });",
        '  screen.getByText(/Give the group a name/);',
        '});',
      ].join('\n'),
    );

    expect(pieces).toEqual([['role="alert"'], ['Create group'], ['Give the group a name']]);
  });

  it("follow the file's constants, which count as supplied where the test also uses them as input", () => {
    const { pieces, found } = expectationsOf(
      [
        "const MESSAGE = 'items is not an array';",
        "const NAME = 'Grace';",
        "it('fails', () => {",
        '  run({ name: NAME });',
        '  expect(() => run(null)).toThrow(MESSAGE);',
        '  expect(result.name).toBe(NAME);',
        '});',
      ].join('\n'),
    );

    expect(pieces).toEqual([['items is not an array'], ['Grace']]);
    expect(found.supplied).toContain('Grace');
    expect(found.supplied).not.toContain('items is not an array');
    expect(found.supplied).toContain('name');
  });

  it('know which test they belong to by the describe and it titles around them', () => {
    const { found } = expectationsOf(
      "describe('greet', () => {\n  it('by name', () => expect(x).toBe('Hi'));\n});\n",
    );

    expect(found.expected[0]!.titles).toEqual(['greet', 'by name']);
    expect(found.expected[0]!.line).toBe(2);
  });
});

describe("a regular expression's texts", () => {
  it.each([
    [
      'expected Lambda to queue the event \\(202\\), got \\d+',
      ['expected Lambda to queue the event (202), got '],
      false,
    ],
    ['^colou?r is (red|blue)$', ['colo', 'r is ', 'red', 'blue'], true],
    ['(?:not )?allowed \\[\\w+\\]', ['allowed [', ']'], false],
    ['(\\d+ )+items?', [' ', 'item'], false],
  ])('of /%s/ are its literal runs', (source, pieces, alternatives) => {
    expect(regexPieces(source)).toEqual({ pieces, alternatives });
  });
});

describe("a lesson's task sections", () => {
  const lesson = [
    '# Lab',
    '## The tasks',
    '### Task 1: Greet (10 points)',
    '',
    'Task id: `greet`',
    '',
    '```md',
    '## not a heading',
    '```',
    'It says "Hello, world!".',
    '#### A detail of task 1',
    'More.',
    '### Task 2: Count',
    'Task id: `count`',
    '## Check your work',
  ].join('\n');

  it('run from the heading above the task id line to the next heading of its level or above', () => {
    const sections = taskSections(lesson);

    expect(sections.get('greet')).toEqual({
      heading: 'Task 1: Greet (10 points)',
      line: 3,
      text: lesson.split('\n').slice(2, 12).join('\n'),
    });
    expect(sections.get('count')!.text).toBe('### Task 2: Count\nTask id: `count`');
  });
});
