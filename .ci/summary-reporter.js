// A silent Jest reporter: when the run completes, it writes the counts CI is judged by to the file named by
// JEST_SUMMARY_FILE. CI uses it instead of --json --outputFile, which prints "Test results written to ...".
const fs = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.JEST_SUMMARY_FILE;
    if (!file) return;
    const counts = {
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests,
      numTodoTests: results.numTodoTests,
      numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
    };
    fs.writeFileSync(file, JSON.stringify(counts));
  }
}

module.exports = SummaryReporter;
