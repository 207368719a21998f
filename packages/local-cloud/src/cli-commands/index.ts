// Commands beside `start`, each a function of its arguments and the CLI's output, returning the exit code.
export { FIRE_USAGE, runFireCommand, scheduledEvent, type CommandIo } from './fire';
export { runTokenCli, TOKEN_USAGE } from './token';
