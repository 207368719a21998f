import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireLock, LockHeldError, processIsAlive } from '../src/lock-file';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'udagram-lock-'));
  file = path.join(dir, 'state', 'lock.json');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the npm start lock', () => {
  it('records the pid, then where the app runs, and is gone once released', () => {
    const lock = acquireLock(file, { pid: 4242, now: () => new Date('2026-11-21T12:00:00Z') });

    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      pid: 4242,
      startedAt: '2026-11-21T12:00:00.000Z',
    });
    lock.update({ url: 'http://127.0.0.1:8080/' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      pid: 4242,
      url: 'http://127.0.0.1:8080/',
    });
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a second start while the first one runs, naming it', () => {
    const first = acquireLock(file, { pid: 100 });
    first.update({ url: 'http://127.0.0.1:8080/' });

    const second = () => acquireLock(file, { pid: 200, isAlive: (pid) => pid === 100 });

    expect(second).toThrow(LockHeldError);
    expect(second).toThrow(
      'Udagram is already running (pid 100, http://127.0.0.1:8080/). Open that, or stop it with Ctrl+C in its terminal and run npm start again.',
    );
  });

  it('takes over a stale lock whose process is gone', () => {
    acquireLock(file, { pid: 100 });

    const lock = acquireLock(file, { pid: 200, isAlive: () => false });

    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: 200 });
    lock.release();
  });

  it('takes over a lock file left half-written', () => {
    writeFileSync(path.join(dir, 'lock.json'), '{"pid": ');

    acquireLock(path.join(dir, 'lock.json'), { pid: 300, isAlive: () => true });

    expect(JSON.parse(readFileSync(path.join(dir, 'lock.json'), 'utf8'))).toMatchObject({ pid: 300 });
  });

  it('leaves a lock that another start has taken since', () => {
    const stale = acquireLock(file, { pid: 100 });
    acquireLock(file, { pid: 200, isAlive: () => false });

    stale.release();

    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: 200 });
  });

  it('knows a live process from a finished one', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    // Above Linux's highest possible pid (2^22).
    expect(processIsAlive(4_194_305)).toBe(false);
  });
});
