import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/** Where a command writes; commands never touch process.stdout directly so they stay easy to reason about. */
export interface Io {
  out(line?: string): void;
  err(line?: string): void;
  colors: Colors;
}

/**
 * Colours only on an interactive terminal without NO_COLOR. picocolors' own detection also turns them on under
 * CI or FORCE_COLOR, which would put escape codes into logs and into the output the tests compare.
 */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Colors {
  return picocolors.createColors(stream.isTTY === true && !env.NO_COLOR);
}

export function processIo(env: NodeJS.ProcessEnv): Io {
  return {
    out: (line = '') => process.stdout.write(`${line}\n`),
    err: (line = '') => process.stderr.write(`${line}\n`),
    colors: colorsFor(process.stdout, env),
  };
}
