// A Jest reporter that appends each finished test file's results as one JSON line, in the shape of
// `jest --json`'s testResults. When a run is killed (timeout) or ends early (process.exit in the code under
// test), these lines are what the course grades: the files that finished keep their passes. `course check`
// also reads them while Jest runs, to stop a file that runs past the lab's time budget.
const fs = require('node:fs');

// What the tests logged helps explain a failure (a handler that catches NotImplemented and answers 500 shows
// it only there), but a test that logs in a loop must not fill the disk: a few short messages per file.
const MAX_CONSOLE_MESSAGES = 20;
const MAX_CONSOLE_CHARS = 500;

class PartialReporter {
  // A file that starts and never reports is the one that stopped the run: the grader skips it on a rerun.
  // `at` is when it started, for the time budget.
  onTestStart(test) {
    const file = process.env.COURSE_PARTIAL_RESULTS;
    if (file) fs.appendFileSync(file, `${JSON.stringify({ started: test.path, at: Date.now() })}\n`);
  }

  onTestResult(_test, result) {
    const file = process.env.COURSE_PARTIAL_RESULTS;
    if (!file) return;
    const failed = result.numFailingTests > 0 || result.testExecError !== undefined;
    const line = {
      name: result.testFilePath,
      status: failed ? 'failed' : 'passed',
      message: result.failureMessage ?? '',
      console: (result.console ?? [])
        .slice(0, MAX_CONSOLE_MESSAGES)
        .map((entry) => String(entry.message).slice(0, MAX_CONSOLE_CHARS)),
      assertionResults: result.testResults.map((test) => ({
        ancestorTitles: test.ancestorTitles,
        title: test.title,
        fullName: test.fullName,
        status: test.status,
        failureMessages: test.failureMessages,
      })),
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
}

module.exports = PartialReporter;
