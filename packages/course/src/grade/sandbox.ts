import fs from 'node:fs';
import path from 'node:path';

const NO_NETWORK = path.join(__dirname, '..', 'sandbox', 'no-network.js');

/** Variables a graded run may see from the grader's environment; everything else is left out. */
const ALLOWED = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'JAVA_HOME'];

/**
 * The environment of a graded run: the allowlist, a scratch HOME and TMPDIR (so nothing lands in the grader's
 * home), no proxy variables and no inherited NODE_OPTIONS, and our own NODE_OPTIONS with the network guard so
 * every Node process the tests start gets it too.
 */
export function sandboxEnv(
  parent: NodeJS.ProcessEnv,
  scratch: string,
  /** Where the run sees `scratch`, when an OS sandbox mounts it elsewhere. */
  seenAs = scratch,
): NodeJS.ProcessEnv {
  fs.mkdirSync(path.join(scratch, 'home'), { recursive: true });
  fs.mkdirSync(path.join(scratch, 'tmp'), { recursive: true });
  const home = path.join(seenAs, 'home');
  const tmp = path.join(seenAs, 'tmp');
  const env: NodeJS.ProcessEnv = {};
  for (const name of ALLOWED) if (parent[name] !== undefined) env[name] = parent[name];
  return {
    ...env,
    HOME: home,
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
    CI: 'true',
    NO_COLOR: '1',
    NODE_OPTIONS: `--require ${JSON.stringify(NO_NETWORK)}`,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
}
