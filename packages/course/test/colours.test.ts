import { colorsFor } from '../src/output';
import { fixtureWorkspaces } from './support/cleanup';

const workspace = fixtureWorkspaces();
const ESCAPE = '\u001b[';

describe('colours', () => {
  it('are on for a terminal', () => {
    const colors = colorsFor({ isTTY: true }, {});

    expect(colors.red('failed')).toContain(ESCAPE);
  });

  it('are off for a terminal when NO_COLOR is set', () => {
    const colors = colorsFor({ isTTY: true }, { NO_COLOR: '1' });

    expect(colors.red('failed')).toBe('failed');
  });

  it('are off when output is piped, even under CI with FORCE_COLOR', () => {
    const colors = colorsFor({ isTTY: false }, { CI: 'true', FORCE_COLOR: '1' });

    expect(colors.red('failed')).toBe('failed');
  });

  it('never reach piped output or error messages of the real CLI', () => {
    const course = workspace([{ folder: '01-hello', tasks: [{ id: 'greet', tests: ['greet'] }] }]);

    const listed = course.run(['list'], { CI: 'true', FORCE_COLOR: '1' });
    const failed = course.run(['hint', '01', 'nope'], { NO_COLOR: '1' });

    expect(listed.stdout).toContain('Next: npx course check 01');
    expect(listed.stdout).not.toContain(ESCAPE);
    expect(failed.stderr).toContain('no task "nope"');
    expect(failed.stderr).not.toContain(ESCAPE);
  });
});
