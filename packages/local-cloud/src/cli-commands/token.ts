// `local-cloud token --sub alice [...]` for the CLI's dispatcher: the identity service's command
// (src/services/identity/token-command.ts) with the CLI's line-based output.
import { runTokenCommand } from '../services/identity/token-command';
import type { CommandIo } from './fire';

export { TOKEN_USAGE } from '../services/identity/token-command';

/** Returns the exit code: 0 with the token on its own line (for `TOKEN=$(npx local-cloud token ...)`), else 2. */
export function runTokenCli(args: string[], io: CommandIo, cwd = process.cwd()): number {
  return runTokenCommand(args, {
    stdout: (text) => text.split('\n').forEach((line) => io.out(line)),
    stderr: (text) => text.split('\n').forEach((line) => io.err(line)),
    cwd,
  });
}
