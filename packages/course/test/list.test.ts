import { fixtureWorkspaces } from './support/cleanup';
import type { FixtureLab } from './support/workspace';

const workspace = fixtureWorkspaces();

const labs: FixtureLab[] = [
  {
    folder: '01-hello-lambda',
    title: 'Hello, Lambda',
    tasks: [
      { id: 'greet', title: 'Greet the caller', points: 10, tests: ['greet'] },
      { id: 'read-name', title: 'Read the name', points: 20, tests: ['read'] },
    ],
  },
  {
    folder: '02-api',
    title: 'A REST API',
    tasks: [{ id: 'route', title: 'Add a route', points: 15, tests: ['route'] }],
  },
];

const lines = (text: string): string[] => text.trimEnd().split('\n');

describe('course list', () => {
  it('shows every lab with its tasks, points and "not checked" before any check, then the first check to run', () => {
    const course = workspace(labs);

    const result = course.run(['list']);

    expect(lines(result.stdout)).toEqual([
      'Lab 01  Hello, Lambda  (0/30 points)',
      '  · greet      Greet the caller   10 pts  not checked',
      '  · read-name  Read the name      20 pts  not checked',
      '',
      'Lab 02  A REST API  (0/15 points)',
      '  · route  Add a route   15 pts  not checked',
      '',
      'Next: npx course check 01',
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('shows the status of the last check and earned points, and sends the student to the first unfinished lab', () => {
    const course = workspace(labs);
    const passed = { status: 'passed', checkedAt: '2025-01-01T00:00:00.000Z' };
    course.writeProgress({
      version: 1,
      labs: {
        '01': { tasks: { greet: passed, 'read-name': passed } },
        '02': { tasks: { route: { status: 'failed' } } },
      },
    });

    const result = course.run(['list']);

    expect(result.stdout).toContain('Lab 01  Hello, Lambda  (30/30 points)');
    expect(result.stdout).toContain('  ✓ greet      Greet the caller   10 pts  passed');
    expect(result.stdout).toContain('Lab 02  A REST API  (0/15 points)');
    expect(result.stdout).toContain('  ✗ route  Add a route   15 pts  failed');
    expect(lines(result.stdout).pop()).toBe('Next: npx course check 02');
    expect(result.status).toBe(0);
  });

  it('says which tasks a task uses, and to do them first until they pass', () => {
    const course = workspace([
      {
        folder: '01-hello-lambda',
        title: 'Hello, Lambda',
        tasks: [
          { id: 'greet', title: 'Greet', tests: ['greet'] },
          { id: 'wave', title: 'Wave', tests: ['wave'] },
          { id: 'party', title: 'Party', tests: ['party'], dependsOn: ['greet', 'wave'] },
        ],
      },
    ]);
    const before = course.run(['list']);
    course.writeProgress({
      version: 1,
      labs: { '01': { tasks: { greet: { status: 'passed' }, wave: { status: 'passed' } } } },
    });

    const after = course.run(['list']);

    expect(lines(before.stdout)).toContain(
      '  · party  Party   10 pts  not checked  (uses tasks greet and wave: do those first)',
    );
    expect(lines(after.stdout)).toContain('  · party  Party   10 pts  not checked  (uses greet, wave)');
  });

  it('runs when no command is given, and says so when every lab passes', () => {
    const course = workspace([labs[0]!]);
    course.writeProgress({
      version: 1,
      labs: { '01': { tasks: { greet: { status: 'passed' }, 'read-name': { status: 'passed' } } } },
    });

    const result = course.run([]);

    expect(lines(result.stdout).pop()).toBe('Every lab passes: the course is complete. Well done!');
    expect(result.status).toBe(0);
  });
});
