// The environment of a reader's terminal: this process's, without what Jest and npm add to it (npm points
// tools at the checkout through npm_config_* and node_modules/.bin, Jest sets NODE_ENV=test) and with the
// throwaway home folder.

/** curl reports each response's status on stderr, where `$(curl ...)` does not capture it. */
export const HTTP_STATUS_LINE = 'walkthrough-http-status';
export const CURLRC = `write-out = "%{stderr}\\n${HTTP_STATUS_LINE} %{http_code}\\n"\n`;

const DROPPED = [
  /^npm_/i,
  /^INIT_CWD$/,
  /^NODE_ENV$/,
  /^JEST_WORKER_ID$/,
  /^COURSE_ROOT$/,
  /^XDG_/,
  /^FORCE_COLOR$/,
];

export function readerEnvironment(home: string, from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (!DROPPED.some((pattern) => pattern.test(name))) env[name] = value;
  }
  env.PATH = (from.PATH ?? '')
    .split(':')
    .filter((dir) => !dir.includes('node_modules'))
    .join(':');
  env.HOME = home;
  return env;
}

/** The statuses curl reported in a command's output, and the output without those lines. */
export function httpStatuses(output: string): { statuses: number[]; output: string } {
  const statuses: number[] = [];
  const pattern = new RegExp(`\\n?${HTTP_STATUS_LINE} (\\d{3})\\n?`, 'g');
  const rest = output.replace(pattern, (_line, status: string) => {
    statuses.push(Number(status));
    return '\n';
  });
  return { statuses, output: rest };
}
