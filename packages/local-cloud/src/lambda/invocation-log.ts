// One invocation's log as Lambda writes it to CloudWatch (and returns the tail of with LogType: Tail):
//   <module-scope lines, on a cold start>
//   START RequestId: <id> Version: $LATEST
//   <ISO time>\t<id>\tINFO\t<message>           (console.log; console.error is ERROR, and so on)
//   END RequestId: <id>
//   REPORT RequestId: <id>\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 80.10 ms\t
import type { InvocationReport } from './lambda-service';

export type PlatformFault =
  { kind: 'timeout'; text: string } | { kind: 'error'; errorType: string; errorMessage: string };

export function invocationLog(parts: {
  initLines: string[];
  lines: string[];
  report: InvocationReport;
  fault?: PlatformFault;
}): string {
  const { requestId } = parts.report;
  const out = [...parts.initLines, `START RequestId: ${requestId} Version: $LATEST`, ...parts.lines];
  if (parts.fault?.kind === 'timeout')
    out.push(`${new Date().toISOString()} ${requestId} ${parts.fault.text}`);
  if (parts.fault?.kind === 'error') out.push(parts.fault.errorMessage, parts.fault.errorType);
  out.push(`END RequestId: ${requestId}`, reportLine(parts.report, parts.fault));
  return `${out.join('\n')}\n`;
}

export function reportLine(report: InvocationReport, fault?: PlatformFault): string {
  let line =
    `REPORT RequestId: ${report.requestId}\tDuration: ${report.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${report.billedDurationMs} ms\tMemory Size: ${report.memorySizeMb} MB\t` +
    `Max Memory Used: ${report.maxMemoryUsedMb} MB\t`;
  if (report.initDurationMs !== undefined) line += `Init Duration: ${report.initDurationMs.toFixed(2)} ms\t`;
  if (fault?.kind === 'timeout') line += 'Status: timeout';
  if (fault?.kind === 'error') line += `Status: error\tError Type: ${fault.errorType}`;
  return line;
}

/** Milliseconds with two decimals, as the REPORT line prints them. */
export function roundDuration(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Lambda bills whole milliseconds, rounded up, at least 1. */
export function billedDuration(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
