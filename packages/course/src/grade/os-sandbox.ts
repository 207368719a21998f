// The operating-system sandbox a graded run goes in: bubblewrap (Debian's `bubblewrap` package) gives it its
// own user, PID, network, IPC and mount namespaces, so the run sees only what is bound into it, reaches
// nothing but its own loopback, and every process it starts dies with it. prlimit caps CPU time, file size
// and open files; a writable cgroup, where the machine has one, caps processes and memory.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** What a sandboxed run may see. */
export interface SandboxMounts {
  /** The graded copy and the run's scratch folder: host folders, and where the run sees them. */
  writable: { from: string; to: string }[];
  /** Dependencies and tools, at their host paths: the reference's node_modules, the course's own packages. */
  readOnly: string[];
  /** The run's working folder, as the run sees it. */
  cwd: string;
}

export interface Sandbox {
  kind: 'bubblewrap';
  /**
   * Runs `command args` inside the sandbox, for at most `timeoutMs` of wall time; `release` removes what the
   * limits needed, once the run has ended.
   */
  wrap(
    command: string,
    args: string[],
    mounts: SandboxMounts,
    timeoutMs: number,
  ): { command: string; args: string[]; release(): void };
  /** One line for the instructor: what the sandbox isolates and limits. */
  description: string;
}

export type Isolation = Sandbox | { kind: 'none'; reason: string };

/** Limits of one graded run (a lab's Jest process and everything it starts). */
export const LIMITS = {
  /** Per process: a loop is stopped by the lab's time limit long before; this stops a CPU-bound child. */
  cpuSeconds: (timeoutMs: number) => Math.ceil((timeoutMs / 1000) * 2),
  fileBytes: 256 * 1024 * 1024,
  openFiles: 4096,
  processes: 512,
  memoryBytes: 4 * 1024 * 1024 * 1024,
};

/** System folders every run needs (the dynamic loader, libraries, Java, certificates, user names). */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64'];
const SYSTEM_ETC = [
  '/etc/passwd',
  '/etc/group',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/localtime',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/alternatives',
];

/**
 * Finds bubblewrap and checks it can make the namespaces here (a container may forbid user namespaces).
 * `env` is the grader's: PATH locates bwrap, JAVA_HOME (when set) is bound too.
 */
export function detectSandbox(env: NodeJS.ProcessEnv): Isolation {
  if (process.platform !== 'linux') {
    return {
      kind: 'none',
      reason: `no sandbox exists for ${process.platform}; grade on Linux with bubblewrap`,
    };
  }
  const bwrap = findOnPath('bwrap', env.PATH);
  if (bwrap === undefined) {
    return {
      kind: 'none',
      reason: 'bubblewrap is not installed (Debian and Ubuntu: apt-get install bubblewrap)',
    };
  }
  const prlimit = findOnPath('prlimit', env.PATH);
  const probe = spawnSync(bwrap, [...isolationArgs(), ...systemArgs(env), '--', 'true'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0];
    return {
      kind: 'none',
      reason: `bubblewrap cannot create its namespaces here (${why}); in a container, allow user namespaces`,
    };
  }
  const cgroups = new CgroupLimits();
  const limits = [...(prlimit ? ['CPU time', 'file size', 'open files'] : []), ...cgroups.available];
  const missing = [
    ...(prlimit ? [] : ['prlimit is not installed (util-linux)']),
    ...(cgroups.available.length > 0 ? [] : ['no writable cgroup for process and memory limits']),
  ];
  return {
    kind: 'bubblewrap',
    description:
      'bubblewrap: own user, PID and network namespaces, only the graded copy writable, loopback only' +
      (limits.length > 0 ? `; limits on ${limits.join(', ')}` : '') +
      (missing.length > 0 ? ` (${missing.join('; ')})` : ''),
    wrap(command, args, mounts, timeoutMs) {
      const limit = cgroups.create();
      const bwrapArgs = [
        ...isolationArgs(),
        ...systemArgs(env),
        ...[...new Set(mounts.readOnly)].flatMap((dir) => ['--ro-bind', dir, dir]),
        ...mounts.writable.flatMap((mount) => ['--bind', mount.from, mount.to]),
        '--chdir',
        mounts.cwd,
        '--',
        command,
        ...args,
      ];
      const limited = prlimit
        ? [
            prlimit,
            `--cpu=${LIMITS.cpuSeconds(timeoutMs)}`,
            `--fsize=${LIMITS.fileBytes}`,
            `--nofile=${LIMITS.openFiles}`,
            '--core=0',
            '--',
            bwrap,
            ...bwrapArgs,
          ]
        : [bwrap, ...bwrapArgs];
      // The shell joins the limiting cgroups before anything of the run exists, then becomes the run.
      return {
        command: '/bin/sh',
        args: ['-c', JOIN_THEN_EXEC, 'sh', ...limit.procFiles, '--', ...limited],
        release: () => limit.release(),
      };
    },
  };
}

const JOIN_THEN_EXEC = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/** Namespaces and the empty root the run starts from. */
function isolationArgs(): string[] {
  return [
    '--unshare-all', // user, PID, network (only its own loopback), IPC, UTS and cgroup namespaces
    '--die-with-parent', // the grader stopping takes the run with it
    '--new-session', // no writing into the grader's terminal
    '--uid',
    '65534',
    '--gid',
    '65534',
    '--hostname',
    'grading',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
  ];
}

function systemArgs(env: NodeJS.ProcessEnv): string[] {
  const node = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  const etc = [...SYSTEM_ETC, ...globEtc(/^java-/)];
  const readOnly = [...SYSTEM, ...etc, node, ...(env.JAVA_HOME ? [env.JAVA_HOME] : [])];
  return [...new Set(readOnly)].flatMap((dir) => ['--ro-bind-try', dir, dir]);
}

function globEtc(pattern: RegExp): string[] {
  try {
    return fs
      .readdirSync('/etc')
      .filter((name) => pattern.test(name))
      .map((name) => `/etc/${name}`);
  } catch {
    return [];
  }
}

function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

interface RunLimit {
  /** cgroup.procs files the run's first process writes its PID into. */
  procFiles: string[];
  release(): void;
}

/**
 * Process and memory limits through cgroups, v1 or v2, when the grader may make a child of its own cgroup
 * (root, or a systemd-delegated user slice). Each run gets its own child, removed once the run has ended.
 */
class CgroupLimits {
  private count = 0;
  private readonly controllers: { name: string; dir: string; settings: Record<string, string> }[] = [];

  constructor() {
    for (const controller of ownCgroups()) {
      const probe = path.join(controller.dir, `course-grade-probe-${process.pid}`);
      try {
        fs.mkdirSync(probe);
        fs.rmdirSync(probe);
        this.controllers.push(controller);
      } catch {
        // Not writable here: that limit is unavailable.
      }
    }
  }

  get available(): string[] {
    return this.controllers.map((controller) => controller.name);
  }

  create(): RunLimit {
    const made: string[] = [];
    const procFiles: string[] = [];
    for (const controller of this.controllers) {
      const dir = path.join(controller.dir, `course-grade-${process.pid}-${++this.count}`);
      try {
        fs.mkdirSync(dir);
        made.push(dir);
        for (const [file, value] of Object.entries(controller.settings)) {
          fs.writeFileSync(path.join(dir, file), value);
        }
        procFiles.push(path.join(dir, 'cgroup.procs'));
      } catch {
        // A controller that refuses a setting is skipped; the others still apply.
      }
    }
    return {
      procFiles,
      release() {
        for (const dir of made) {
          try {
            fs.rmdirSync(dir);
          } catch {
            // Still busy or already gone; the machine's next reboot clears it.
          }
        }
      },
    };
  }
}

function ownCgroups(): { name: string; dir: string; settings: Record<string, string> }[] {
  let lines: string[];
  try {
    lines = fs.readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  } catch {
    return [];
  }
  const found: { name: string; dir: string; settings: Record<string, string> }[] = [];
  const v1 = (controller: string): string | undefined =>
    lines.map((line) => line.split(':')).find((parts) => parts[1]!.split(',').includes(controller))?.[2];
  const pids = v1('pids');
  const memory = v1('memory');
  if (pids !== undefined && fs.existsSync('/sys/fs/cgroup/pids')) {
    found.push({
      name: 'processes',
      dir: path.join('/sys/fs/cgroup/pids', pids),
      settings: { 'pids.max': String(LIMITS.processes) },
    });
  }
  if (memory !== undefined && fs.existsSync('/sys/fs/cgroup/memory')) {
    found.push({
      name: 'memory',
      dir: path.join('/sys/fs/cgroup/memory', memory),
      settings: { 'memory.limit_in_bytes': String(LIMITS.memoryBytes) },
    });
  }
  const unified = lines.find((line) => line.startsWith('0::'))?.slice(3);
  if (found.length === 0 && unified !== undefined && fs.existsSync('/sys/fs/cgroup/cgroup.controllers')) {
    found.push({
      name: 'processes and memory',
      dir: path.join('/sys/fs/cgroup', unified),
      settings: { 'pids.max': String(LIMITS.processes), 'memory.max': String(LIMITS.memoryBytes) },
    });
  }
  return found;
}
