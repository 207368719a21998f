// Function errors that Lambda itself reports when a sandbox fails (rather than the handler throwing). The
// wording is the platform's, taken from the Lambda runtime interface emulator and invoke responses:
//   {"errorType":"Sandbox.Timedout","errorMessage":"RequestId: <id> Error: Task timed out after 3.00 seconds"}
//   {"errorType":"Runtime.ExitError","errorMessage":"RequestId: <id> Error: Runtime exited with error: exit status 1"}
//   {"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: <id> Error: Runtime exited with error: signal: killed"}
//   {"errorType":"Function.ResponseSizeTooLarge","errorMessage":"Response payload size (N bytes) exceeded maximum allowed payload size (6291556 bytes)."}
import type { FunctionErrorPayload } from './lambda-service';

/** Lambda accepts a response up to 6 MB plus 100 bytes of framing: the number its error message quotes. */
export const RESPONSE_PAYLOAD_LIMIT_BYTES = 6_291_556;

export function timedOut(requestId: string, timeoutSeconds: number): FunctionErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: ${timedOutText(timeoutSeconds)}`,
  };
}

/** `Task timed out after 6.00 seconds`: also the line Lambda writes to the function's log. */
export function timedOutText(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

export function runtimeExited(
  requestId: string,
  exit: { code: number | null; signal: string | null },
): FunctionErrorPayload {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: ${exitReason(exit)}`,
  };
}

export function outOfMemory(requestId: string): FunctionErrorPayload {
  return {
    errorType: 'Runtime.OutOfMemory',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

export function responseTooLarge(sizeBytes: number): FunctionErrorPayload {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${sizeBytes} bytes) exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_LIMIT_BYTES} bytes).`,
  };
}

// Lambda describes a dead runtime as Go's os.ProcessState prints it.
const SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted (core dumped)',
  SIGSEGV: 'segmentation fault (core dumped)',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGBUS: 'bus error (core dumped)',
  SIGILL: 'illegal instruction (core dumped)',
  SIGFPE: 'floating point exception (core dumped)',
};

export function exitReason(exit: { code: number | null; signal: string | null }): string {
  if (exit.signal) return `Runtime exited with error: signal: ${SIGNAL_NAMES[exit.signal] ?? exit.signal}`;
  if (exit.code === 0) return 'Runtime exited without providing a reason';
  return `Runtime exited with error: exit status ${exit.code ?? 'unknown'}`;
}

/** `<errorType>: <errorMessage>` of a function error's payload, for a log line; its start when not JSON. */
export function functionErrorText(payload: string): string {
  try {
    const error = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown };
    const type = typeof error.errorType === 'string' ? error.errorType : 'Error';
    const message = typeof error.errorMessage === 'string' ? error.errorMessage : payload;
    return `${type}: ${message}`;
  } catch {
    return payload.slice(0, 200);
  }
}
