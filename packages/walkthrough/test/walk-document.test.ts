import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ShellBlock } from '../src/extract-commands';
import { listeningPorts } from '../src/process-groups';
import { CURLRC, readerEnvironment } from '../src/reader-environment';
import { walkDocument, type WalkOptions } from '../src/walk-document';

let root: string;
let options: WalkOptions;
let server: Server;
let api: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.statusCode = request.url === '/ok' ? 200 : 404;
    response.end(request.url === '/ok' ? '{"ok":true}' : '{"message":"no such thing"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'walk-document-'));
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(root, 'repo', 'sub'), { recursive: true });
  fs.mkdirSync(home);
  fs.writeFileSync(path.join(home, '.curlrc'), CURLRC);
  options = {
    root: path.join(root, 'repo'),
    env: readerEnvironment(home),
    commandTimeoutMs: 10_000,
    readyTimeoutMs: 10_000,
    stopTimeoutMs: 5_000,
  };
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A block of commands on consecutive lines after a fence on `line`. */
const block = (line: number, ...commands: string[]): ShellBlock => ({
  line,
  commands: commands.map((text, index) => ({ line: line + 1 + index, text })),
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('walkDocument', () => {
  it('runs a block as one terminal session that starts in the repository, and each block in a new one', async () => {
    const walk = await walkDocument(
      'doc.md',
      [
        block(1, 'cd sub', 'GREETING=hello', 'test "$GREETING" = hello', 'pwd > ../first.txt'),
        block(10, 'pwd > second.txt'),
      ],
      options,
    );

    expect(walk).toEqual({ failures: [], commands: 5 });
    expect(fs.readFileSync(path.join(options.root, 'first.txt'), 'utf8').trim()).toBe(
      path.join(options.root, 'sub'),
    );
    expect(fs.readFileSync(path.join(options.root, 'second.txt'), 'utf8').trim()).toBe(options.root);
  });

  it('names the file and line of the first command that fails, with the end of its output, and stops there', async () => {
    const walk = await walkDocument(
      'docs/guide.md',
      [block(3, 'echo fine', 'seq 1 30 && ls no-such-file'), block(10, 'touch ran-on.txt')],
      options,
    );

    expect(walk.failures).toHaveLength(1);
    const [message] = walk.failures as [string];
    const lines = message.split('\n');
    expect(lines[0]).toBe('docs/guide.md:5: `seq 1 30 && ls no-such-file` exited 2');
    expect(lines).toHaveLength(21);
    expect(lines[1]).toBe('    12');
    expect(lines[20]).toMatch(/^ {4}ls: cannot access 'no-such-file'/);
    expect(fs.existsSync(path.join(options.root, 'ran-on.txt'))).toBe(false);
  });

  it('holds a curl to the HTTP status the lesson shows, and to a success when it shows none', async () => {
    const shown = await walkDocument(
      'lesson.md',
      [
        {
          line: 1,
          commands: [
            { line: 2, text: `curl -s ${api}/ok` },
            { line: 3, text: `BODY=$(curl -s ${api}/missing)`, expectedStatus: 404 },
          ],
        },
      ],
      options,
    );
    const unexpected = await walkDocument('lesson.md', [block(7, `curl -s ${api}/missing`)], options);
    const wrong = await walkDocument(
      'lesson.md',
      [{ line: 9, commands: [{ line: 10, text: `curl -si ${api}/ok`, expectedStatus: 201 }] }],
      options,
    );

    expect(shown.failures).toEqual([]);
    expect(unexpected.failures).toEqual([
      `lesson.md:8: \`curl -s ${api}/missing\` answered HTTP 404, and the lesson shows no error\n    {"message":"no such thing"}`,
    ]);
    expect(wrong.failures[0]).toMatch(
      /^lesson\.md:10: `curl -si .*\/ok` answered HTTP 200, but the lesson shows 201\n/,
    );
  });

  it('refuses a command with a placeholder for the reader to fill in', async () => {
    const walk = await walkDocument(
      'lesson.md',
      [block(1, 'curl http://127.0.0.1:3000/dev/images/<imageId>')],
      options,
    );

    expect(walk.failures).toEqual([
      'lesson.md:2: `curl http://127.0.0.1:3000/dev/images/<imageId>` has a placeholder, <imageId>, so it cannot be pasted as it is',
    ]);
  });

  it('waits for a job put in the background to listen, and stops it when the file ends', async () => {
    const port = await freePort();
    fs.writeFileSync(path.join(options.root, 'cat.jpg'), 'x');

    const walk = await walkDocument(
      'lesson.md',
      [
        block(
          1,
          `python3 -m http.server ${port} --bind 127.0.0.1 &`,
          `curl -s http://127.0.0.1:${port}/cat.jpg`,
        ),
      ],
      options,
    );

    expect(walk.failures).toEqual([]);
    expect(listeningPorts().has(port)).toBe(false);
  });

  it('fails a job put in the background that it cannot tell is ready, and still stops it', async () => {
    const walk = await walkDocument('lesson.md', [block(1, 'sleep 60 &')], options);

    expect(walk.failures).toEqual([
      'lesson.md:2: `sleep 60 &` runs in the background, and the walkthrough cannot tell when it is ready: give it an entry in long-running.ts',
    ]);
  });
});
