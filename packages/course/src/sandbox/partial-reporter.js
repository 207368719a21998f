// A Jest reporter that appends each finished test file's results as one JSON line, in the shape of
// `jest --json`'s testResults. When a run is killed (timeout) or ends early (process.exit in the code under
// test), these lines are what the course grades: the files that finished keep their passes.
const fs = require('node:fs');

class PartialReporter {
  // A file that starts and never reports is the one that stopped the run: the grader skips it on a rerun.
  onTestStart(test) {
    const file = process.env.COURSE_PARTIAL_RESULTS;
    if (file) fs.appendFileSync(file, `${JSON.stringify({ started: test.path })}\n`);
  }

  onTestResult(_test, result) {
    const file = process.env.COURSE_PARTIAL_RESULTS;
    if (!file) return;
    const failed = result.numFailingTests > 0 || result.testExecError !== undefined;
    const line = {
      name: result.testFilePath,
      status: failed ? 'failed' : 'passed',
      message: result.failureMessage ?? '',
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
