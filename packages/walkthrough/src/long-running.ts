// Commands that do not return: servers and watchers a lesson starts "in another terminal". The walkthrough
// starts them in the background and goes on once they are ready, which each one says in its own way.

export interface LongRunning {
  /**
   * What a reader would call it. Starting another of the same kind replaces the first, as a reader would
   * press Ctrl+C in that terminal before starting the new one.
   */
  kind: string;
  /** Ready once its output matches this: the line it prints when it serves. */
  ready: RegExp;
}

const SERVERS: (LongRunning & { command: RegExp })[] = [
  { kind: 'local-cloud', command: /^npx local-cloud start\b/, ready: /^Ready in \d+ ms/m },
  { kind: 'vite dev server', command: /\bnpm run web\b/, ready: /Local:\s+http:\/\/\S+/ },
  // Ready once the first run of the tests is reported, which proves the watcher does its job.
  { kind: 'course watch', command: /^npx course watch\b/, ready: /: \d+\/\d+ tasks, \d+\/\d+ points/ },
  { kind: 'WebSocket client', command: /require\('ws'\)/, ready: /^connected$/m },
  { kind: 'npm start', command: /^npm start$/, ready: /^\s*App\s+http:\/\/\S+/m },
];

/** Put in the background by the command itself (`... &`): bash runs it, the walkthrough waits for it. */
const BACKGROUNDED: { command: RegExp; port: (match: RegExpExecArray) => number }[] = [
  { command: /python3 -m http\.server (\d+)/, port: (match) => Number(match[1]) },
];

/** The server or watcher a command starts, or undefined for a command that runs to its end. */
export function longRunning(command: string): LongRunning | undefined {
  if (endsInBackground(command)) return undefined;
  const server = SERVERS.find((candidate) => candidate.command.test(command));
  return server && { kind: server.kind, ready: server.ready };
}

/**
 * For a command that ends with `&`: the port to wait for, or undefined when the walkthrough cannot tell when
 * it is ready (the caller reports that, so a new background command gets an entry here).
 */
export function backgroundedPort(command: string): number | undefined {
  for (const { command: pattern, port } of BACKGROUNDED) {
    const match = pattern.exec(command);
    if (match) return port(match);
  }
  return undefined;
}

export function endsInBackground(command: string): boolean {
  return /[^&]&$/.test(command.trim());
}
