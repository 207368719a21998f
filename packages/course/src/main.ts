import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { check } from './commands/check';
import { hint } from './commands/hint';
import { list } from './commands/list';
import { CourseError } from './errors';
import { colorsFor, processIo, type Io } from './output';
import { findRoot } from './workspace';

const COMMANDS = ['list', 'check', 'hint'];

/** Runs the CLI and returns its exit code: 0 success, 1 tests failed, 2 bad input or a broken lab. */
export function main(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): number {
  const io = processIo(env);
  let exitCode = 0;
  // Commands find the root lazily so --help and --version work anywhere.
  const root = (): string => findRoot(cwd, env);
  const runList = (): void => {
    exitCode = list(root(), io);
  };

  const program = new Command('course')
    .description('The serverless course: list the labs, check your work on one, get a hint when stuck.')
    .version(packageVersion(), '-V, --version', 'print the version of the course CLI')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    // Errors are ours to word (one line ending with the fix); commander still prints help and version.
    .configureOutput({ outputError: () => undefined })
    // An action on the program itself hides commander's implicit `help` command, so it is declared.
    .helpCommand('help [command]', 'show help for a command')
    .action((_options, command: Command) => {
      const [unknown] = command.args;
      if (unknown !== undefined) {
        throw new CourseError(
          `Unknown command "${unknown}"; the commands are ${COMMANDS.join(', ')}. See them with: npx course --help`,
        );
      }
      runList();
    })
    .addHelpText('after', '\nStart with: npx course list');

  program
    .command('list')
    .description('show every lab, its tasks, points and status (the default)')
    .action(runList);

  program
    .command('check')
    .description("run a lab's tests and score its tasks")
    .argument('<lab>', 'the lab: 01, 1, 01-hello-lambda or hello-lambda')
    .option('--verbose', "also show Jest's own output")
    .action((labRef: string, options: { verbose?: boolean }) => {
      exitCode = check(root(), io, labRef, { verbose: options.verbose === true });
    });

  program
    .command('hint')
    .description('show the next hint for a task (run it again for more)')
    .argument('<lab>', 'the lab: 01, 1, 01-hello-lambda or hello-lambda')
    .argument('<task>', "the task's id, as shown in lab.json (for example hello-handler)")
    .action((labRef: string, taskId: string) => {
      exitCode = hint(root(), io, labRef, taskId);
    });

  // Only now, so subcommands keep rejecting extra arguments: `course foo` reaches the program's action, which
  // names the unknown command and the commands that exist.
  program.allowExcessArguments(true);

  try {
    program.parse(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, io, env);
  }
}

function handleError(error: unknown, io: Io, env: NodeJS.ProcessEnv): number {
  const colors = colorsFor(process.stderr, env);
  if (error instanceof CourseError) {
    io.err(colors.red(error.message));
    return error.exitCode;
  }
  if (error instanceof CommanderError) {
    // Help and version come through here too, with exit code 0.
    if (error.exitCode === 0) return 0;
    const message = error.message
      .replace(/^error: /, '')
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.$/, '');
    io.err(
      colors.red(`${message[0]!.toUpperCase()}${message.slice(1)}. See the usage with: npx course --help`),
    );
    return 2;
  }
  const crash = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(colors.red(`The course CLI crashed, which is a bug in it, not in your code: ${crash}`));
  return 3;
}

function packageVersion(): string {
  const file = path.join(__dirname, '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}
