// `local-cloud fire <function-or-rule> [path]`: fires a schedule rule of a running local-cloud now, to try a
// scheduled function without waiting for its time. It reads the service's `.local-cloud/endpoints.json`
// (written by `local-cloud start`), builds the event the rule sends (the scheduled event, or the rule's
// input, input path or input transformer) and sends it as EventBridge does: an asynchronous (Event)
// invocation, here through the emulator's AWS endpoint with the AWS SDK's Lambda client, so retries and destinations
// apply and the function's output appears where local-cloud runs.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as LambdaClientModule from '@aws-sdk/client-lambda';
import { endpointsFilePath, type EndpointsFile, type ScheduleEndpoint } from '../endpoints';
import { payloadFor, type ScheduledEvent } from '../event-sources/schedules/scheduler';
import { parseScheduleExpression } from '../event-sources/schedules/schedule-expression';
import type { ScheduleRule } from '../event-sources/schedules/scheduled-rules';

/** Where a command writes: the CLI's io (CliIo) fits. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export const FIRE_USAGE = [
  'Usage: local-cloud fire <function-or-rule> [path]',
  '',
  'Fires a schedule rule of the local-cloud running for the service in [path] (default: the current folder)',
  'now: its function gets the scheduled event, asynchronously, as EventBridge sends it. Name the function',
  '(key or deployed name) to fire all its rules, or one rule (name or logical id).',
  '',
  'Example: npx local-cloud fire cleanup labs/05-schedules',
];

/** Resolves with the exit code: 0 once every rule's event was accepted, 2 for what the user can fix. */
export async function runFireCommand(args: string[], io: CommandIo, cwd = process.cwd()): Promise<number> {
  const fail = (message: string) => {
    io.err(`local-cloud fire: ${message}`);
    return 2;
  };
  if (args.includes('--help') || args.includes('-h')) {
    FIRE_USAGE.forEach((line) => io.out(line));
    return 0;
  }
  const unknownFlag = args.find((arg) => arg.startsWith('-'));
  if (unknownFlag) return fail(`unknown option "${unknownFlag}". Fix: run \`local-cloud fire --help\``);
  const [target, servicePathArgument, ...extra] = args;
  if (!target) {
    return fail('name the scheduled function or rule to fire. Fix: run `local-cloud fire <function> [path]`');
  }
  if (extra.length > 0)
    return fail(`unexpected argument "${extra[0]}". Fix: pass the function, then one folder`);
  const servicePath = path.resolve(cwd, servicePathArgument ?? '.');
  const file = endpointsFilePath(servicePath);
  if (!existsSync(file)) {
    return fail(
      `${file} does not exist, so no local-cloud is running for this service. Fix: run \`npx local-cloud start ${servicePathArgument ?? '.'}\` in another terminal, then fire again`,
    );
  }
  let endpoints: EndpointsFile;
  try {
    endpoints = JSON.parse(readFileSync(file, 'utf8')) as EndpointsFile;
  } catch {
    return fail(`${file} is not valid JSON. Fix: restart local-cloud, which writes it again`);
  }
  const schedules = endpoints.schedules ?? [];
  const matching = schedules.filter(
    (rule) =>
      rule.name === target ||
      rule.logicalId === target ||
      rule.functionKey === target ||
      rule.functionName === target,
  );
  if (matching.length === 0) {
    const known = schedules.map((rule) => `${rule.functionKey} (rule ${rule.name})`).join(', ');
    return fail(
      known
        ? `no scheduled function or schedule rule is named "${target}". Fix: name one of ${known}`
        : `the service has no schedule events, so there is nothing named "${target}" to fire. Fix: add one, such as "- schedule: rate(5 minutes)", to a function's events and restart local-cloud`,
    );
  }

  // Loaded here, not at the top: the CLI imports this module for every command, `start` included.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { InvokeCommand, LambdaClient } = require('@aws-sdk/client-lambda') as typeof LambdaClientModule;
  const client = new LambdaClient({
    endpoint: endpoints.endpoints.lambda,
    region: endpoints.region,
    credentials: endpoints.credentials,
    maxAttempts: 1,
  });
  try {
    for (const rule of matching) {
      const payload = payloadFor(scheduleRule(rule), scheduledEvent(rule, endpoints.region, new Date()));
      let requestId: string | undefined;
      try {
        const response = await client.send(
          new InvokeCommand({
            FunctionName: rule.functionName,
            InvocationType: 'Event',
            Payload: Buffer.from(payload),
          }),
        );
        requestId = response.$metadata.requestId;
      } catch (error) {
        return fail(describeInvokeFailure(error, rule, endpoints, servicePathArgument ?? '.'));
      }
      io.out(
        `Fired ${rule.name} (${rule.expression}): ${rule.functionKey} invoked asynchronously, request id ${requestId ?? 'unknown'}. Its output appears where local-cloud runs.`,
      );
    }
    return 0;
  } finally {
    client.destroy();
  }
}

/**
 * The scheduled event EventBridge sends when a rule fires (docs/reference/aws-behaviour.md#scheduled-events).
 */
export function scheduledEvent(rule: ScheduleEndpoint, region: string, at: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: rule.arn.split(':')[4] ?? '',
    time: new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    region,
    resources: [rule.arn],
    detail: {},
  };
}

function scheduleRule(rule: ScheduleEndpoint): ScheduleRule {
  return { ...rule, expression: parseScheduleExpression(rule.expression) };
}

function describeInvokeFailure(
  error: unknown,
  rule: ScheduleEndpoint,
  endpoints: EndpointsFile,
  servicePath: string,
): string {
  const err = error as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || /ECONNREFUSED/.test(err.message ?? '')) {
    return `nothing answers at ${endpoints.endpoints.lambda}: the local-cloud that wrote endpoints.json has stopped. Fix: run \`npx local-cloud start ${servicePath}\`, then fire again`;
  }
  if (err.name === 'ResourceNotFoundException') {
    return `the running local-cloud has no function ${rule.functionName}: it serves an older serverless.yml. Fix: restart it, then fire again`;
  }
  return `the AWS endpoint (Lambda) refused the event: ${err.name ?? 'Error'}: ${err.message ?? String(error)}`;
}
