// `local-cloud token --sub alice [--aud X] [--expires-in 1h] [--claim email=alice@example.com]`: prints a
// token signed with the service's identity key, for curl and tests (`TOKEN=$(npx local-cloud token --sub
// alice)`). The issuer and default audience are those the last `local-cloud start` recorded, so the token is
// the one the running issuer would mint; no server needs to be running.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { identityDataDir, ISSUER_FILE } from './identity-service';
import { loadOrCreateSigningKey } from './signing-key';
import { mintToken, TokenRequestError } from './tokens';

export interface TokenCommandIo {
  /** Receives the token (one line). */
  stdout(text: string): void;
  /** Receives usage and errors. */
  stderr(text: string): void;
  /** The service folder when --service is not given. */
  cwd: string;
  now?: () => number;
}

export const TOKEN_USAGE = [
  'Usage: local-cloud token --sub <user> [--aud <audience>] [--expires-in <1h>] [--claim <name>=<value>]...',
  '                         [--issuer <url>] [--service <path>]',
  '',
  'Prints an RS256 token from the local identity issuer (local development only).',
  '  --sub         the user, the token\'s "sub" (required)',
  "  --aud         the audience; default the issuer's configured audience",
  '  --expires-in  seconds, or 30s, 15m, 1h, 7d; default 1h',
  '  --claim       an extra claim; the value is parsed as JSON when it can be (--claim admin=true)',
  '  --issuer      the "iss"; default the one `local-cloud start` recorded for the service',
  '  --service     the service folder; default the current directory',
].join('\n');

/** Returns the exit code: 0 with the token printed, 2 with one line naming the problem and the fix. */
export function runTokenCommand(args: string[], io: TokenCommandIo): number {
  let options: Map<string, string[]>;
  try {
    options = parseArguments(args);
  } catch (error) {
    io.stderr(`local-cloud token: ${(error as Error).message}\n${TOKEN_USAGE}`);
    return 2;
  }
  if (options.has('help')) {
    io.stdout(TOKEN_USAGE);
    return 0;
  }
  const servicePath = path.resolve(io.cwd, last(options, 'service') ?? '.');
  const dataDir = identityDataDir(servicePath);
  const recorded = readRecordedIssuer(path.join(dataDir, ISSUER_FILE));
  const issuer = last(options, 'issuer') ?? recorded?.issuer;
  if (!issuer) {
    io.stderr(
      `local-cloud token: no issuer is recorded in ${path.join(dataDir, ISSUER_FILE)}. ` +
        'Fix: run `npx local-cloud start` for this service once (it records its issuer), or pass --issuer <url>',
    );
    return 2;
  }
  const sub = last(options, 'sub');
  if (!sub) {
    io.stderr(
      'local-cloud token: --sub is required. Fix: name the user, such as `npx local-cloud token --sub alice`',
    );
    return 2;
  }
  try {
    const claims = Object.fromEntries((options.get('claim') ?? []).map(parseClaim));
    const token = mintToken(
      loadOrCreateSigningKey(dataDir),
      { issuer, audience: recorded?.audience },
      { sub, audience: last(options, 'aud'), expiresIn: last(options, 'expires-in'), claims },
      (io.now ?? Date.now)(),
    );
    io.stdout(token);
    return 0;
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    io.stderr(`local-cloud token: ${error.message}`);
    return 2;
  }
}

const FLAGS = new Set(['sub', 'aud', 'expires-in', 'claim', 'issuer', 'service', 'help']);

function parseArguments(args: string[]): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !FLAGS.has(match[1] ?? '')) throw new Error(`unknown argument "${arg}"`);
    const name = match[1] ?? '';
    if (name === 'help') {
      options.set('help', []);
      continue;
    }
    const value = match[2] ?? args[(i += 1)];
    if (value === undefined || (match[2] === undefined && value.startsWith('--'))) {
      throw new Error(`--${name} needs a value`);
    }
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return options;
}

function parseClaim(text: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new TokenRequestError(
      `claim "${text}" is not name=value: write it as --claim email=alice@example.com`,
    );
  const raw = text.slice(at + 1);
  try {
    return [text.slice(0, at), JSON.parse(raw) as unknown];
  } catch {
    return [text.slice(0, at), raw];
  }
}

function readRecordedIssuer(file: string): { issuer?: string; audience?: string } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { issuer?: string; audience?: string };
  } catch {
    return undefined;
  }
}

function last(options: Map<string, string[]>, name: string): string | undefined {
  return options.get(name)?.at(-1);
}
