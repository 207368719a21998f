// Reads the counts .ci/summary-reporter.js wrote for each Jest run (npm test, the walkthrough) and prints the
// one line CI is judged by: "N passed, N failed". A test file that fails to run (syntax error, a throw at
// import) counts as one failure, because its tests never reported; so does a run that wrote no counts. Exits
// non-zero when anything failed, was skipped, or when no test ran at all.
//
//   node .ci/count-results.js <failed checks besides Jest> <counts file>...
const fs = require('node:fs');

const [extraFailuresArg = '0', ...countFiles] = process.argv.slice(2);
let passed = 0;
let failed = Number(extraFailuresArg);
let skipped = 0;

for (const file of countFiles) {
  let counts;
  try {
    counts = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`could not read Jest's counts from ${file} (did that Jest run finish?): ${error.message}`);
    failed += 1;
    continue;
  }
  passed += counts.numPassedTests;
  failed += counts.numFailedTests + counts.numRuntimeErrorTestSuites;
  skipped += counts.numPendingTests + counts.numTodoTests;
}

// A skipped test checks nothing, so the course allows none.
if (skipped > 0) console.log('skipped or todo tests found: make them real tests or remove them');
if (passed === 0) console.log('no test ran: check the Jest projects in jest.config.js');
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || skipped > 0 || passed === 0 ? 1 : 0);
