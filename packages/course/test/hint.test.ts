import { fixtureWorkspaces } from './support/cleanup';

const workspace = fixtureWorkspaces();

describe('course hint', () => {
  it('reveals one more hint each time, remembers how many were shown, and repeats them all after the last', () => {
    const course = workspace([
      {
        folder: '01-hello',
        tasks: [
          {
            id: 'greet',
            title: 'Greet the caller',
            tests: ['greet'],
            hints: ['Read the event.', 'Use JSON.', 'Return 200.'],
          },
        ],
      },
    ]);

    const first = course.run(['hint', '01', 'greet']);
    const second = course.run(['hint', 'hello', 'greet']);
    const third = course.run(['hint', '1', 'greet']);
    const fourth = course.run(['hint', '01-hello', 'greet']);

    expect(first.stdout).toBe(
      'Hint 1 of 3 for "Greet the caller" (lab 01):\n' +
        '  Read the event.\n' +
        'Try it, then run: npx course check 01  (still stuck? Run: npx course hint 01 greet)\n',
    );
    expect(second.stdout).toContain('Hint 2 of 3 for "Greet the caller" (lab 01):\n  Use JSON.\n');
    expect(third.stdout).toBe(
      'Hint 3 of 3 for "Greet the caller" (lab 01):\n' +
        '  Return 200.\n' +
        'That was the last hint. Try it, then run: npx course check 01\n',
    );
    expect(fourth.stdout).toBe(
      'All 3 hints for "Greet the caller" (lab 01):\n' +
        '  1. Read the event.\n' +
        '  2. Use JSON.\n' +
        '  3. Return 200.\n' +
        'There are no more hints. Try it, then run: npx course check 01\n',
    );
    expect([first, second, third, fourth].map((result) => result.status)).toEqual([0, 0, 0, 0]);
    expect(course.progress().labs['01']!.tasks).toEqual({ greet: { hintsShown: 3 } });
  });

  it('keeps the status of the last check when it counts a hint', () => {
    const course = workspace([
      { folder: '01-hello', tasks: [{ id: 'greet', tests: ['greet'], hints: ['a', 'b'] }] },
    ]);
    const checked = { status: 'failed', checkedAt: '2025-01-01T00:00:00.000Z' };
    course.writeProgress({
      version: 1,
      labs: { '01': { checkedAt: checked.checkedAt, tasks: { greet: checked } } },
    });

    course.run(['hint', '01', 'greet']);

    expect(course.progress().labs['01']).toEqual({
      checkedAt: checked.checkedAt,
      tasks: { greet: { ...checked, hintsShown: 1 } },
    });
  });
});
