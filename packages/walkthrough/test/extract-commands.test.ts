import { extractCommands, splitComment } from '../src/extract-commands';

const md = (...lines: string[]): string => lines.join('\n');

describe('extractCommands', () => {
  it('takes sh, bash and shell blocks, with the line of each command, and leaves the others', () => {
    const { blocks, problems } = extractCommands(
      md(
        '# Title', //                                  1
        '```sh', //                                    2
        'npm install', //                              3
        '```', //                                      4
        '```text', //                                  5
        'npx not-a-command', //                        6
        '```', //                                      7
        '```bash', //                                  8
        'cd labs/01-hello-lambda', //                  9
        '', //                                         10
        'npx serverless package', //                   11
        '```', //                                      12
        '```ts', //                                    13
        'const x = 1;', //                             14
        '```', //                                      15
        '```shell', //                                 16
        'npm test', //                                 17
        '```', //                                      18
      ),
    );

    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      { line: 2, commands: [{ line: 3, text: 'npm install' }] },
      {
        line: 8,
        commands: [
          { line: 9, text: 'cd labs/01-hello-lambda' },
          { line: 11, text: 'npx serverless package' },
        ],
      },
      { line: 16, commands: [{ line: 17, text: 'npm test' }] },
    ]);
  });

  it('joins backslash-continued lines and drops comment lines and trailing comments', () => {
    const { blocks } = extractCommands(
      md(
        '```bash',
        '# set things up first',
        'npx course check 01     # run the tests',
        'curl -s -X POST http://127.0.0.1:3000/dev/groups \\',
        "  -H 'Content-Type: application/json' \\",
        '  -d \'{"name": "Dogs #1"}\'   # a comment after the last line',
        'curl "http://127.0.0.1:3000/dev/page#anchor"',
        '```',
      ),
    );

    expect(blocks[0]!.commands).toEqual([
      { line: 3, text: 'npx course check 01' },
      {
        line: 4,
        text: 'curl -s -X POST http://127.0.0.1:3000/dev/groups -H \'Content-Type: application/json\' -d \'{"name": "Dogs #1"}\'',
      },
      { line: 7, text: 'curl "http://127.0.0.1:3000/dev/page#anchor"' },
    ]);
  });

  it('reads the HTTP status a lesson documents for a curl, from the comments that show its output', () => {
    const { blocks } = extractCommands(
      md(
        '```bash',
        "curl -si 'http://127.0.0.1:3000/dev/groups?limit=0'",
        '# HTTP/1.1 400 Bad Request',
        '# Content-Type: application/json',
        '',
        'curl -i http://127.0.0.1:3000/dev/groups/nope/images   # 404 with a message',
        "curl -s 'http://127.0.0.1:3000/dev/groups?limit=1'",
        '# {"items":[],"count":200}',
        '',
        'IMAGE=$(curl -s -X POST http://127.0.0.1:3000/dev/images)',
        'echo "$IMAGE"',
        '# 201 {"image":{}}',
        '',
        '# 500: a comment that documents no command',
        'npx course list',
        '```',
      ),
    );

    expect(blocks[0]!.commands.map((command) => command.expectedStatus)).toEqual([
      400,
      404,
      undefined,
      201,
      undefined,
      undefined,
    ]);
  });

  it('keeps the lines of a block indented in a list item', () => {
    const { blocks } = extractCommands(
      md('1. Check it:', '', '   ```sh', '   npx course check 01', '   ```'),
    );

    expect(blocks).toEqual([{ line: 3, commands: [{ line: 4, text: 'npx course check 01' }] }]);
  });

  it('marks a block as skipped, with its reason, from the comment before it', () => {
    const { blocks, problems } = extractCommands(
      md(
        '<!-- walkthrough: skip — needs an AWS account -->',
        '```bash',
        'npx serverless deploy',
        '```',
        '<!-- walkthrough: skip: CI runs it first -->',
        '',
        '```sh',
        'npm test',
        '```',
      ),
    );

    expect(problems).toEqual([]);
    expect(blocks.map((block) => block.skip)).toEqual(['needs an AWS account', 'CI runs it first']);
  });

  it('reports a mark without a reason, an unknown mark and a mark that no shell block follows', () => {
    const { blocks, problems } = extractCommands(
      md(
        '<!-- walkthrough: skip -->', //                1
        '```bash', //                                  2
        'npx serverless deploy', //                    3
        '```', //                                      4
        '<!-- walkthrough: later -->', //              5
        '```bash', //                                  6
        'npm test', //                                 7
        '```', //                                      8
        '<!-- walkthrough: skip — stray -->', //       9
        'Some prose.', //                              10
        '<!-- walkthrough: skip — on text -->', //     11
        '```text', //                                  12
        'output', //                                   13
        '```', //                                      14
      ),
    );

    expect(problems.map(({ line, problem }) => `${line}: ${problem}`)).toEqual([
      '1: the skip mark gives no reason; write why the block cannot run here after "skip —"',
      '5: unknown mark "later"; the one mark is: walkthrough: skip — <reason>',
      '9: no sh, bash or shell block follows the mark',
      '11: the mark is for a `text` block, which never runs',
    ]);
    // A broken mark skips nothing: the block runs, and the problem fails the walkthrough.
    expect(blocks.map((block) => block.skip)).toEqual([undefined, undefined]);
  });
});

describe('splitComment', () => {
  it('splits where bash starts a comment: a # that begins a word outside quotes', () => {
    expect(splitComment('npm test   # all of it')).toEqual({ code: 'npm test', comment: 'all of it' });
    expect(splitComment('echo \'# not a comment\' "# nor this"')).toEqual({
      code: 'echo \'# not a comment\' "# nor this"',
    });
    expect(splitComment('echo a\\ #b')).toEqual({ code: 'echo a\\ #b' });
    expect(splitComment('curl http://host/#top')).toEqual({ code: 'curl http://host/#top' });
  });
});
