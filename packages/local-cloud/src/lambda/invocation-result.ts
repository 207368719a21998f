// Turns what happened in a sandbox (a response, a timeout, a crash, a failed init) into the InvokeResult
// Lambda would give: the payload, X-Amz-Function-Error, the REPORT figures and the log.
import type { FunctionDefinition } from '../config/service-definition';
import type { BuildFailure } from './bundler';
import {
  exitReason,
  outOfMemory,
  RESPONSE_PAYLOAD_LIMIT_BYTES,
  responseTooLarge,
  runtimeExited,
  timedOut,
  timedOutText,
} from './function-errors';
import { billedDuration, invocationLog, roundDuration, type PlatformFault } from './invocation-log';
import type { FunctionErrorPayload, InvocationReport, InvokeResult } from './lambda-service';
import type { TraceHeader } from './trace-header';
import { INIT_TIMEOUT_MS, type ExitInfo, type InitOutcome, type InvocationOutcome } from './sandbox';

export interface InvocationFacts {
  fn: FunctionDefinition;
  requestId: string;
  durationMs: number;
  /** Set on a cold start. */
  initDurationMs?: number;
  maxRssKb: number;
  initLines: string[];
  lines: string[];
  /** The X-Ray trace header the invocation ran under (_X_AMZN_TRACE_ID). */
  trace?: TraceHeader;
}

export function resultOfInvocation(facts: InvocationFacts, outcome: InvocationOutcome): InvokeResult {
  switch (outcome.kind) {
    case 'response': {
      if (outcome.isError) return build(facts, { payload: outcome.payload, functionError: true });
      const size = byteLength(outcome.payload, RESPONSE_PAYLOAD_LIMIT_BYTES);
      if (size > RESPONSE_PAYLOAD_LIMIT_BYTES) return build(facts, { error: responseTooLarge(size) });
      return build(facts, { payload: outcome.payload });
    }
    case 'timeout':
      return build(facts, {
        error: timedOut(facts.requestId, facts.fn.timeout),
        fault: { kind: 'timeout', text: timedOutText(facts.fn.timeout) },
      });
    case 'exit':
      return resultOfExit(facts, outcome.exit);
  }
}

/** The first invocation of a sandbox whose handler module did not load. */
export function resultOfFailedInit(
  facts: InvocationFacts,
  init: Exclude<InitOutcome, { kind: 'ready' }>,
): InvokeResult {
  switch (init.kind) {
    case 'error':
      return build(facts, { payload: init.errorPayload, functionError: true });
    case 'timeout':
      return build(facts, {
        error: timedOut(facts.requestId, INIT_TIMEOUT_MS / 1000),
        fault: { kind: 'timeout', text: timedOutText(INIT_TIMEOUT_MS / 1000) },
      });
    case 'exit':
      return resultOfExit(facts, init.exit);
  }
}

/** A module whose last hot-reload build failed: what the runtime would say loading it. */
export function resultOfBrokenBuild(facts: InvocationFacts, failure: BuildFailure): InvokeResult {
  const error: FunctionErrorPayload =
    failure.kind === 'import'
      ? {
          errorType: 'Runtime.ImportModuleError',
          errorMessage: `Error: Cannot find module '${failure.specifier}' (${failure.detail})`,
        }
      : { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `SyntaxError: ${failure.detail}` };
  return build(facts, {
    error,
    initLines: [
      `${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(error)}`,
    ],
  });
}

function resultOfExit(facts: InvocationFacts, exit: ExitInfo): InvokeResult {
  if (exit.outOfMemory) {
    const error = outOfMemory(facts.requestId);
    return build(
      { ...facts, maxRssKb: facts.fn.memorySize * 1024 },
      { error, fault: { kind: 'error', errorType: error.errorType, errorMessage: error.errorMessage } },
    );
  }
  const error = runtimeExited(facts.requestId, exit);
  return build(facts, {
    error,
    fault: {
      kind: 'error',
      errorType: error.errorType,
      errorMessage: `RequestId: ${facts.requestId} Error: ${exitReason(exit)}`,
    },
  });
}

function build(
  facts: InvocationFacts,
  result: {
    payload?: string;
    functionError?: boolean;
    error?: FunctionErrorPayload;
    fault?: PlatformFault;
    initLines?: string[];
  },
): InvokeResult {
  const durationMs = roundDuration(facts.durationMs);
  const failed = result.functionError === true || result.error !== undefined;
  const report: InvocationReport = {
    functionKey: facts.fn.key,
    functionName: facts.fn.name,
    requestId: facts.requestId,
    status: failed ? 'error' : 'success',
    durationMs,
    billedDurationMs: billedDuration(durationMs),
    coldStart: facts.initDurationMs !== undefined,
    memorySizeMb: facts.fn.memorySize,
    maxMemoryUsedMb: Math.ceil(facts.maxRssKb / 1024),
  };
  if (facts.initDurationMs !== undefined) report.initDurationMs = roundDuration(facts.initDurationMs);
  if (facts.trace !== undefined)
    report.trace = { traceId: facts.trace.traceId, segmentId: facts.trace.segmentId };
  const logs = invocationLog({
    initLines: [...facts.initLines, ...(result.initLines ?? [])],
    lines: facts.lines,
    report,
    fault: result.fault,
  });
  const payload = result.error ? JSON.stringify(result.error) : (result.payload ?? 'null');
  return failed ? { report, functionError: 'Unhandled', payload, logs } : { report, payload, logs };
}

/** UTF-8 size, without encoding strings that cannot be near the limit (a character is at most 3 bytes). */
export function byteLength(text: string, limit: number): number {
  return text.length * 3 <= limit ? text.length : Buffer.byteLength(text);
}
