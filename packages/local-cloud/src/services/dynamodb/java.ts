// DynamoDB Local is a Java program: local-cloud checks for Java 17 or later before starting it, so a missing
// or old Java is one line naming the fix instead of a Java stack trace (UnsupportedClassVersionError) or a
// spawn ENOENT.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const MINIMUM_JAVA_VERSION = 17;

const INSTALL_FIX =
  'apt-get install -y openjdk-17-jre-headless (Debian/Ubuntu), or install any Java 17 or later and put its java on PATH (or set JAVA_HOME)';

/** Java is absent or older than DynamoDB Local needs. */
export class JavaRequirementError extends Error {
  override readonly name = 'JavaRequirementError';
  readonly exitCode = 2;

  constructor(
    readonly command: string,
    /** The major version found; undefined when no Java ran at all. */
    readonly foundVersion?: number,
  ) {
    super(
      foundVersion === undefined
        ? `DynamoDB needs Java ${MINIMUM_JAVA_VERSION} or later to run DynamoDB Local, and "${command} -version" did not run. Fix: ${INSTALL_FIX}`
        : `DynamoDB needs Java ${MINIMUM_JAVA_VERSION} or later to run DynamoDB Local, and "${command}" is Java ${foundVersion}. Fix: ${INSTALL_FIX}`,
    );
  }
}

/** Runs `<command> -version` and returns what it printed, or undefined when it could not run. */
export type JavaProbe = (command: string) => Promise<string | undefined>;

export const probeJava: JavaProbe = (command) =>
  new Promise((resolve) => {
    execFile(command, ['-version'], { timeout: 30_000 }, (error, stdout, stderr) => {
      // `java -version` prints to stderr; a non-zero exit or a missing binary means no usable Java.
      resolve(error ? undefined : `${stderr}${stdout}`);
    });
  });

/** The major version in `java -version` output: `openjdk version "17.0.15"` is 17, `"1.8.0_292"` is 8. */
export function parseJavaMajorVersion(versionText: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** `java` from JAVA_HOME when it is set and holds one, else `java` from PATH. */
export function defaultJavaCommand(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.JAVA_HOME;
  if (home) {
    const candidate = path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(candidate)) return candidate;
  }
  return 'java';
}

/**
 * Resolves with the major version (undefined for a Java whose banner has no version to read: it is given
 * the benefit of the doubt), or rejects with JavaRequirementError.
 */
export async function checkJava(command: string, probe: JavaProbe = probeJava): Promise<number | undefined> {
  const output = await probe(command);
  if (output === undefined) throw new JavaRequirementError(command);
  const version = parseJavaMajorVersion(output);
  if (version !== undefined && version < MINIMUM_JAVA_VERSION) {
    throw new JavaRequirementError(command, version);
  }
  return version;
}
