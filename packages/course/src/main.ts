import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { check } from './commands/check';
import type * as DoctorCommand from './commands/doctor';
import type * as GradeCommand from './commands/grade';
import { hint } from './commands/hint';
import { list } from './commands/list';
import type * as ReleaseCommand from './commands/release';
import type * as ResetCommand from './commands/reset';
import { chokidarWatcher, labChecker, watch } from './commands/watch';
import { CourseError } from './errors';
import { colorsFor, processIo, type Io } from './output';
import { findRoot } from './workspace';

const CURRENT_LAB = 'the lab of the folder you are in, else the first not yet passed';
const COMMANDS = ['list', 'check', 'watch', 'hint', 'reset', 'release', 'doctor', 'grade'];

/** Runs the CLI and returns its exit code: 0 success, 1 tests failed, 2 bad input or a broken lab. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<number> {
  const io = processIo(env);
  let exitCode = 0;
  // Commands find the root lazily so --help and --version work anywhere.
  const root = (): string => findRoot(cwd, env);
  const runList = (): void => {
    exitCode = list(root(), io);
  };

  const program = new Command('course')
    .description(
      'The serverless course: list the labs, check or watch your work on one, get a hint when stuck.',
    )
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
    .description("run a lab's tests and score its tasks (or one task's)")
    .argument('[lab]', `the lab: 01, 1, 01-hello-lambda or hello-lambda (default: ${CURRENT_LAB})`)
    .argument('[task]', 'only this task, by its id (for example hello-handler)')
    .option('--verbose', "also show Jest's own output")
    .action(
      async (labRef: string | undefined, taskId: string | undefined, options: { verbose?: boolean }) => {
        const workspace = root();
        exitCode = await untilInterrupted((signal) =>
          check(workspace, io, labRef, taskId, { verbose: options.verbose === true, cwd, env, signal }),
        );
      },
    );

  program
    .command('hint')
    .description('show the next hint for a task (run it again for more)')
    .argument('<lab>', 'the lab: 01, 1, 01-hello-lambda or hello-lambda')
    .argument('<task>', "the task's id, as shown in lab.json (for example hello-handler)")
    .action((labRef: string, taskId: string) => {
      exitCode = hint(root(), io, labRef, taskId);
    });

  program
    .command('watch')
    .description("re-run a lab's tests on every save; keys: h hint, l list, n next lab, q quit")
    .argument('[lab]', `the lab (default: ${CURRENT_LAB})`)
    .option('--poll', 'poll for changes instead of using file events (network drives, containers)')
    .action(async (labRef: string | undefined, options: { poll?: boolean }) => {
      const workspace = root();
      const checker = labChecker(workspace, env);
      try {
        exitCode = await untilInterrupted((signal) =>
          watch(
            workspace,
            io,
            labRef,
            { input: process.stdin, createWatcher: chokidarWatcher, runCheck: checker.run },
            { poll: options.poll === true || env.CHOKIDAR_USEPOLLING === 'true', cwd, signal },
          ),
        );
      } finally {
        await checker.close();
      }
    });

  program
    .command('reset')
    .description("put back a lab's starter code, or one task's, keeping your other edits")
    .argument('<lab>', 'the lab: 01, 1, 01-hello-lambda or hello-lambda')
    .argument('[task]', "only this task's code")
    .option(
      '--force',
      'also reset files changed outside the task (the whole file; your version is saved in .course/backups)',
    )
    .action((labRef: string, taskId: string | undefined, options: { force?: boolean }) => {
      const { reset } = onDemand('reset');
      exitCode = reset(root(), io, labRef, taskId, { force: options.force === true });
    });

  program
    .command('release')
    .description('instructors: write the student edition (solutions stubbed, hidden tests removed)')
    .requiredOption('--out <dir>', 'an empty folder for the edition')
    .option('--grader', 'keep the hidden tests (a grading reference without solutions)')
    .action((options: { out: string; grader?: boolean }) => {
      const { release } = onDemand('release');
      exitCode = release(root(), io, options.out, { grader: options.grader === true }, cwd);
    });

  program
    .command('doctor')
    .description('instructors: prove every lab (reference passes, student edition fails each task)')
    .option('--jobs <n>', 'lab runs at a time', String(Math.max(1, os.availableParallelism())))
    .option('--timeout <seconds>', 'time limit of one lab run', '600')
    .action(async (options: { jobs: string; timeout: string }) => {
      const { doctor } = onDemand('doctor');
      exitCode = await doctor(root(), io, options, env);
    });

  program
    .command('grade')
    .description('instructors: grade submissions with the official and hidden tests')
    .requiredOption('--submission <dirs...>', "students' workspace folders")
    .option('--lab <labs...>', 'only these labs (default: every lab)')
    .option('--format <list>', 'reports: json, junit, md, csv, github', 'json,junit,md,csv')
    .option('--out <dir>', 'where reports go', 'grading')
    .option('--jobs <n>', 'lab runs at a time', '2')
    .option('--timeout <seconds>', 'time limit of one lab run', '120')
    .option('--reference <dir>', 'the course with solutions or the grader edition (default: this workspace)')
    .option(
      '--manifest <file>',
      'the release-manifest.json handed out, for tamper checks against that release',
    )
    .option('--keep', 'keep the graded copies (for debugging)')
    .option('--require-sandbox', 'refuse to grade where no OS sandbox (bubblewrap) is available')
    .option('--no-sandbox', 'grade without the OS sandbox: graded code runs as you (results not trustworthy)')
    .action(
      async (options: {
        requireSandbox?: boolean;
        sandbox: boolean;
        submission: string[];
        lab?: string[];
        format: string;
        out: string;
        jobs: string;
        timeout: string;
        reference?: string;
        manifest?: string;
        keep?: boolean;
      }) => {
        const reference = options.reference ? findRoot(path.resolve(cwd, options.reference), {}) : root();
        const { grade } = onDemand('grade');
        exitCode = await grade(
          reference,
          io,
          {
            submissions: options.submission,
            labs: options.lab ?? [],
            formats: options.format,
            out: options.out,
            jobs: options.jobs,
            timeout: options.timeout,
            ...(options.manifest !== undefined && { manifest: options.manifest }),
            keep: options.keep === true,
            sandbox: options.requireSandbox === true ? 'require' : options.sandbox ? 'auto' : 'off',
          },
          env,
          cwd,
        );
      },
    );

  // Only now, so subcommands keep rejecting extra arguments: `course foo` reaches the program's action, which
  // names the unknown command and the commands that exist.
  program.allowExcessArguments(true);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return handleError(error, io, env);
  }
}

interface OnDemandCommands {
  doctor: typeof DoctorCommand;
  grade: typeof GradeCommand;
  release: typeof ReleaseCommand;
  reset: typeof ResetCommand;
}

/**
 * Loaded when run: these bring in the release machinery and the TypeScript compiler, about a second that
 * every `check` would otherwise pay at start.
 */
function onDemand<Name extends keyof OnDemandCommands>(name: Name): OnDemandCommands[Name] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`./commands/${name}`) as OnDemandCommands[Name];
}

/**
 * Runs a command that Ctrl+C (SIGINT), SIGTERM or a closed terminal (SIGHUP) stops through `signal`: it kills
 * every process it started and reports, rather than Node exiting at once and leaving Jest behind.
 */
async function untilInterrupted(command: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  signals.forEach((name) => process.on(name, stop));
  try {
    return await command(controller.signal);
  } finally {
    signals.forEach((name) => process.off(name, stop));
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
