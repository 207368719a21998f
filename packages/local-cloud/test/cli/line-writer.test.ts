// The CLI's output: lines queued and written together once per turn of the event loop, in order, none lost.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lineWriter } from '../../src/cli';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the CLI’s line writer', () => {
  it('writes the lines of one turn of the event loop in one write, in order', async () => {
    const writes: string[] = [];
    const out = lineWriter({ write: (text) => writes.push(text) });

    out.write('one');
    out.write('two');
    expect(writes).toEqual([]);
    await nextTurn();
    out.write('three');
    await nextTurn();

    expect(writes).toEqual(['one\ntwo\n', 'three\n']);
  });

  it('writes what is queued at once on flush, and nothing twice', async () => {
    const writes: string[] = [];
    const out = lineWriter({ write: (text) => writes.push(text) });

    out.write('before an error');
    out.flush();
    expect(writes).toEqual(['before an error\n']);
    await nextTurn();

    expect(writes).toEqual(['before an error\n']);
  });

  it('loses no line when the process exits in the same turn (processIo flushes on exit)', () => {
    const cli = path.join(__dirname, '../../src/cli.ts');
    const script = `const io = require(${JSON.stringify(cli)}).processIo(); io.out('first'); io.out('last'); process.exit(0);`;

    const stdout = execFileSync(process.execPath, ['--require', 'tsx/cjs', '--eval', script], {
      encoding: 'utf8',
    });

    expect(stdout).toBe('first\nlast\n');
  });

  it('shows lines printed before an error before the error (stderr after stdout)', () => {
    const cli = path.join(__dirname, '../../src/cli.ts');
    const script = `const io = require(${JSON.stringify(cli)}).processIo(); io.out('line'); io.err('error');`;
    // stdout and stderr into one file, as a terminal shows both.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'line-writer-')), 'output');
    const fd = openSync(file, 'w');
    try {
      execFileSync(process.execPath, ['--require', 'tsx/cjs', '--eval', script], {
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }

    expect(readFileSync(file, 'utf8')).toBe('line\nerror\n');
    rmSync(path.dirname(file), { recursive: true });
  });
});
