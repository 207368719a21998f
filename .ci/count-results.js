// Reads Jest's --json results and prints the one line CI is judged by: "N passed, N failed".
// A test file that fails to run (syntax error, a throw at import) counts as one failure, because its tests
// never reported. Exits non-zero when anything failed, was skipped, or when no test ran at all.
const fs = require('node:fs');

const [resultsFile, extraFailuresArg = '0'] = process.argv.slice(2);
const extraFailures = Number(extraFailuresArg);

let results;
try {
  results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
} catch (error) {
  console.log(`could not read Jest's results from ${resultsFile}: ${error.message}`);
  console.log(`0 passed, ${1 + extraFailures} failed`);
  process.exit(1);
}

const passed = results.numPassedTests;
const failed = results.numFailedTests + results.numRuntimeErrorTestSuites + extraFailures;
const skipped = results.numPendingTests + results.numTodoTests;

// A skipped test checks nothing, so the course allows none.
if (skipped > 0) console.log('skipped or todo tests found: make them real tests or remove them');
if (passed === 0) console.log('no test ran: check the Jest projects in jest.config.js');
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || skipped > 0 || passed === 0 ? 1 : 0);
