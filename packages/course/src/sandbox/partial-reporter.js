// A Jest reporter that sends each finished test file's results as one JSON line, in the shape of
// `jest --json`'s testResults. When a run is killed (timeout) or ends early (process.exit in the code under
// test), these lines are what the course grades: the files that finished keep their passes. `course check`
// also reads them while Jest runs, to stop a file that runs past the lab's time budget.
//
// The lines go to the file named by COURSE_PARTIAL_RESULTS or, when grading, to the pipe COURSE_RESULTS_FD
// that the grader reads as the run goes: nothing the graded code can rewrite afterwards, as it could a file.
const fs = require('node:fs');

// Taken now, before any test file runs: graded code that replaces fs.writeSync later does not reach these.
const writeSync = fs.writeSync;
const appendFileSync = fs.appendFileSync;

// What the tests logged helps explain a failure (a handler that catches NotImplemented and answers 500 shows
// it only there), but a test that logs in a loop must not fill the disk: a few short messages per file.
const MAX_CONSOLE_MESSAGES = 20;
const MAX_CONSOLE_CHARS = 500;

// test-kit's NotImplemented says where a caught stub was reached with lines that start so (STUB_REACHED in
// test-kit's not-implemented.ts). They come first, so a file that logs a lot does not push them out.
const STUB_REACHED = 'course: stub reached: ';

function consoleLines(entries) {
  const messages = entries.map((entry) => String(entry.message));
  const stubs = messages.filter((message) => message.startsWith(STUB_REACHED));
  const others = messages.filter((message) => !message.startsWith(STUB_REACHED));
  return [...stubs.slice(0, MAX_CONSOLE_MESSAGES), ...others.slice(0, MAX_CONSOLE_MESSAGES)].map((message) =>
    message.startsWith(STUB_REACHED)
      ? message.slice(0, 2 * MAX_CONSOLE_CHARS)
      : message.slice(0, MAX_CONSOLE_CHARS),
  );
}

function send(entry) {
  const line = `${JSON.stringify(entry)}\n`;
  const fd = Number(process.env.COURSE_RESULTS_FD);
  if (Number.isInteger(fd) && fd > 2) writeSync(fd, line);
  else if (process.env.COURSE_PARTIAL_RESULTS) appendFileSync(process.env.COURSE_PARTIAL_RESULTS, line);
}

class PartialReporter {
  // A file that starts and never reports is the one that stopped the run: the grader skips it on a rerun.
  // `at` is when it started, for the time budget.
  onTestStart(test) {
    send({ started: test.path, at: Date.now() });
  }

  onTestResult(_test, result) {
    const failed = result.numFailingTests > 0 || result.testExecError !== undefined;
    send({
      name: result.testFilePath,
      status: failed ? 'failed' : 'passed',
      message: result.failureMessage ?? '',
      console: consoleLines(result.console ?? []),
      assertionResults: result.testResults.map((test) => ({
        ancestorTitles: test.ancestorTitles,
        title: test.title,
        fullName: test.fullName,
        status: test.status,
        failureMessages: test.failureMessages,
      })),
    });
  }

  // The run got to its end: a stream without this line was cut short.
  onRunComplete() {
    send({ complete: true });
  }
}

module.exports = PartialReporter;
