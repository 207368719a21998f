import { spawn } from 'node:child_process';
import path from 'node:path';
import { fixtureWorkspaces } from './support/cleanup';

const BIN = path.resolve(__dirname, '..', 'bin', 'course.js');
const workspace = fixtureWorkspaces();

// It spawns the CLI, which takes seconds on a busy machine.
jest.setTimeout(30_000);

describe('a reader that closes the output early (npx course list | head)', () => {
  it('stops the command quietly with exit code 0, as a command killed by SIGPIPE does', async () => {
    const course = workspace([{ folder: '01-hello', tasks: [{ id: 'greet', tests: ['greet'] }] }]);
    const child = spawn(process.execPath, [BIN, 'list'], {
      cwd: course.root,
      env: { ...process.env, COURSE_ROOT: course.root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the CLI has started, so its first write finds no reader: EPIPE, every time.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
