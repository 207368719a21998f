/** Collects log lines; waitFor resolves with the first line that matches, already logged or not. */
export function logRecorder() {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  return {
    lines,
    log: (line: string) => {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    },
    waitFor: (pattern: RegExp) =>
      new Promise<string>((resolve) => {
        const line = lines.find((candidate) => pattern.test(candidate));
        if (line !== undefined) resolve(line);
        else waiters.push({ pattern, resolve });
      }),
  };
}
