// What local-cloud prints: the startup table of functions and routes, one line per invocation (the facts of
// Lambda's REPORT line), and the functions' own console output tagged with the function.
import path from 'node:path';
import picocolors from 'picocolors';
import type { ServiceDefinition } from './config/service-definition';
import { routeUrl } from './endpoints';
import { httpApiRoutes } from './http-api/route-definitions';
import type { AsyncOutcome, AsyncRetry } from './invoke-api/invoke-api';
import type { ReloadEvent } from './lambda/create-lambda-service';
import type { InvocationReport } from './lambda/lambda-service';

export type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Colours only on an interactive terminal without NO_COLOR. picocolors' own detection also turns them on
 * under CI or FORCE_COLOR, which would put escape codes into logs and into the output tests compare.
 */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  return picocolors.createColors(stream.isTTY === true && !env.NO_COLOR);
}

export const plainColors: Colors = picocolors.createColors(false);

/** `12:04:05.123`, local time: the moment a line is about, to the millisecond. */
export function clockTime(date: Date): string {
  return clockTimeAt(date.getTime());
}

// A line per invocation, thousands a second under load: the `12:04:05.` part is worked out once a second.
let cachedSecond = Number.NaN;
let cachedSecondText = '';

function clockTimeAt(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const date = new Date(second * 1000);
    const pad = (value: number) => String(value).padStart(2, '0');
    cachedSecondText = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.`;
    cachedSecond = second;
  }
  return cachedSecondText + String(epochMs - second * 1000).padStart(3, '0');
}

/**
 * `<time> <function> <status> <duration> ms (billed <n> ms) <cold|warm> <maxMem>/<memSize> MB <requestId>`
 */
export function formatInvocation(report: InvocationReport, colors: Colors = plainColors, at?: Date): string {
  const status = report.status === 'success' ? colors.green('success') : colors.red('error');
  const start = report.coldStart ? colors.yellow('cold') : 'warm';
  const time = clockTimeAt(at === undefined ? Date.now() : at.getTime());
  return (
    `${colors.dim(time)} ${colors.cyan(report.functionKey)} ${status} ` +
    `${report.durationMs.toFixed(2)} ms (billed ${report.billedDurationMs} ms) ${start} ` +
    `${report.maxMemoryUsedMb}/${report.memorySizeMb} MB ${colors.dim(report.requestId)}`
  );
}

/** A line the function wrote (console.log, stderr), tagged with the function it came from. */
export function formatFunctionOutput(
  functionKey: string,
  line: string,
  colors: Colors = plainColors,
  at?: Date,
): string {
  const time = clockTimeAt(at === undefined ? Date.now() : at.getTime());
  return `${colors.dim(time)} ${colors.cyan(`[${functionKey}]`)} ${line}`;
}

export interface StartupSummary {
  service: ServiceDefinition;
  apiUrl: string;
  /** With `httpApi` events: the HTTP API's URL (its routes are listed under it). */
  httpApiUrl?: string;
  lambdaEndpoint: string;
  endpointsFile: string;
}

/**
 * The table printed once local-cloud serves: every route with its URL (REST API routes, then HTTP API routes,
 * `$default` as the API's URL), then the functions without one.
 */
export function formatStartup(summary: StartupSummary, colors: Colors = plainColors): string[] {
  const { service, apiUrl, httpApiUrl, lambdaEndpoint } = summary;
  const httpRoutes = httpApiUrl === undefined ? [] : httpApiRoutes(service);
  const rows: string[][] = [];
  for (const fn of Object.values(service.functions)) {
    const settings = [fn.key, `${fn.memorySize} MB`, `${fn.timeout} s`];
    const routes = fn.httpEvents.map((event) => [event.method, routeUrl(apiUrl, event.path)]);
    for (const route of httpRoutes) {
      if (route.functionKey !== fn.key) continue;
      routes.push(
        route.path === undefined
          ? [route.method, `${httpApiUrl}/* ($default: every request no other route takes)`]
          : [route.method, `${httpApiUrl}${route.path}`],
      );
    }
    for (const route of routes) rows.push([...route, ...settings]);
    if (routes.length === 0) rows.push(['-', '(no route: invoke it through the AWS endpoint)', ...settings]);
  }
  const header = ['METHOD', 'URL', 'FUNCTION', 'MEMORY', 'TIMEOUT'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [
    `${colors.bold(service.service)} (stage ${service.provider.stage}, region ${service.provider.region})`,
    '',
    colors.dim(line(header)),
    ...rows.map(line),
    '',
    `AWS endpoint    ${lambdaEndpoint}  (every AWS API: AWS_ENDPOINT_URL for the AWS SDK, --endpoint-url for the AWS CLI)`,
    `Endpoints file  ${summary.endpointsFile}`,
    '',
  ];
}

/** A failed Event invocation put back in the queue. */
export function formatAsyncRetry(retry: AsyncRetry, colors: Colors = plainColors, at = new Date()): string {
  const why = retry.reason === 'Throttled' ? 'throttled' : `failed (attempt ${retry.attempts})`;
  return `${colors.dim(clockTime(at))} ${colors.cyan(retry.functionKey)} async ${why}, retry in ${retry.delayMs} ms ${colors.dim(retry.requestId)}`;
}

/** How an Event invocation ended, and where its invocation record went. */
export function formatAsyncOutcome(
  outcome: AsyncOutcome,
  colors: Colors = plainColors,
  at = new Date(),
): string {
  const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
  const condition = outcome.condition === 'Success' ? colors.green('Success') : colors.red(outcome.condition);
  const sentTo = (kind: string, sent: { target: string; delivered: boolean; note?: string }) =>
    ` -> ${kind} ${sent.target}${sent.delivered ? '' : ` (not delivered: ${sent.note ?? ''})`}`;
  const destination = outcome.destination ? sentTo(outcome.destination.type, outcome.destination) : '';
  const deadLetter = outcome.deadLetter ? sentTo('onError', outcome.deadLetter) : '';
  return `${colors.dim(clockTime(at))} ${colors.cyan(outcome.functionKey)} async ${condition} after ${attempts}${destination}${deadLetter} ${colors.dim(outcome.requestId)}`;
}

/** A hot reload: which functions run new code, and which no longer compile. */
export function formatReload(event: ReloadEvent, colors: Colors = plainColors, at = new Date()): string[] {
  const time = colors.dim(clockTime(at));
  const lines: string[] = [];
  if (event.functionKeys.length > 0) {
    const files = event.changedFiles.map((file) => path.basename(file)).join(', ');
    lines.push(
      `${time} ${colors.green('reloaded')} ${event.functionKeys.join(', ')} (${files} changed) in ${Math.round(event.durationMs)} ms`,
    );
  }
  for (const failure of event.failures) {
    lines.push(
      `${time} ${colors.red('reload failed')} ${colors.cyan(failure.functionKey)}: ${failure.detail}`,
    );
  }
  return lines;
}

/** API Gateway's execution-log line for a request it failed on (malformed response, timeout, ...). */
export function formatGatewayMessage(message: string, colors: Colors = plainColors, at = new Date()): string {
  return `${colors.dim(clockTime(at))} ${colors.magenta('[api-gateway]')} ${message}`;
}
