// The Node.js runtimes Lambda accepts today, and what local-cloud says about the others. Lambda deprecates a
// runtime when its Node.js line reaches end of life, then blocks creating and updating functions on it: a
// service that declares one deploys nowhere, so local-cloud refuses it at start with the message Lambda's
// CreateFunction gives (InvalidParameterValueException), unless asked to run it anyway. Dates:
// docs/reference/aws-behaviour.md#runtimes.
import type { ServiceDefinition } from '../config/service-definition';

/** Node.js runtimes Lambda lets you create and update functions on (checked 2026-12). */
export const SUPPORTED_NODE_RUNTIMES: readonly string[] = ['nodejs22.x', 'nodejs24.x'];
export const NEWEST_NODE_RUNTIME = 'nodejs24.x';

/** One or more functions declare a runtime Lambda no longer accepts. */
export class DeprecatedRuntimeError extends Error {
  override readonly name = 'DeprecatedRuntimeError';
  readonly exitCode = 2;
}

/** The Node.js major version a runtime name stands for (`nodejs24.x` is 24), or undefined. */
export function nodeMajorOf(runtime: string): number | undefined {
  const match = /^nodejs(\d+)(?:\.\w+)?$/.exec(runtime);
  return match ? Number(match[1]) : undefined;
}

/** Lambda's answer to deploying a function on `runtime`, or undefined when Lambda accepts it. */
export function deprecatedRuntimeMessage(runtime: string): string | undefined {
  if (SUPPORTED_NODE_RUNTIMES.includes(runtime)) return undefined;
  return (
    `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda ` +
    `functions. We recommend you use the new runtime (${NEWEST_NODE_RUNTIME}) while creating or updating functions.`
  );
}

export interface RuntimeCheck {
  /** Lines to show once at start: deprecated runtimes run anyway, the host's Node.js differing. */
  warnings: string[];
}

/**
 * Refuses functions on runtimes Lambda no longer accepts, naming each and the fix; with `allowDeprecated`
 * they run, with a warning. Also notes when this machine's Node.js is not the one the runtimes run on AWS:
 * the functions run on the host's.
 */
export function checkRuntimes(
  service: ServiceDefinition,
  options: { allowDeprecated?: boolean; hostVersion?: string } = {},
): RuntimeCheck {
  const byRuntime = new Map<string, string[]>();
  for (const fn of Object.values(service.functions)) {
    byRuntime.set(fn.runtime, [...(byRuntime.get(fn.runtime) ?? []), fn.key]);
  }
  const warnings: string[] = [];
  for (const [runtime, keys] of byRuntime) {
    const refusal = deprecatedRuntimeMessage(runtime);
    if (refusal === undefined) continue;
    const line = `${refusal} (functions: ${keys.join(', ')})`;
    if (!options.allowDeprecated) {
      throw new DeprecatedRuntimeError(
        `${line}. Fix: set \`runtime: ${NEWEST_NODE_RUNTIME}\` under provider: in serverless.yml (and on any ` +
          `function that sets its own), or start with --allow-deprecated-runtimes to run it here anyway`,
      );
    }
    warnings.push(`${line}. Running it anyway (--allow-deprecated-runtimes); it will not deploy.`);
  }
  const hostVersion = options.hostVersion ?? process.versions.node;
  const hostMajor = Number(hostVersion.split('.')[0]);
  const others = [...byRuntime.keys()].filter((runtime) => nodeMajorOf(runtime) !== hostMajor);
  if (others.length > 0) {
    warnings.push(
      `functions run here on this machine's Node.js ${hostVersion}, while ${others.join(' and ')} runs ` +
        `Node.js ${others.map((runtime) => nodeMajorOf(runtime) ?? '?').join(' and ')} on AWS: ` +
        `install that Node.js to test on the same version`,
    );
  }
  return { warnings };
}
