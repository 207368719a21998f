// What `npm test` may print on success: npm's header, one line per test file, and Jest's summary. Anything
// else (a console.log from a handler under test, a library's warning block, "Test results written to") is
// noise that hides the line a reader needs. Used by CI on the real run's log, and by the test-time benchmark.
//
//   node scripts/quiet-output.js <log file>    prints the noise and exits 1, or prints nothing and exits 0
const fs = require('node:fs');
const { stripVTControlCharacters } = require('node:util');

const ALLOWED = [
  /^$/,
  /^> /, // npm's "> serverless-course@0.1.0 test" and "> jest" header
  /^(PASS|FAIL) /,
  /^(Test Suites|Tests|Snapshots|Time):/,
  /^Ran all test suites/,
];

/** The lines of `text` that are neither a per-file line nor part of the summary. */
function noiseLines(text) {
  return stripVTControlCharacters(text)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => !ALLOWED.some((pattern) => pattern.test(line)));
}

module.exports = { noiseLines };

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node scripts/quiet-output.js <log of npm test>');
    process.exit(2);
  }
  const noise = noiseLines(fs.readFileSync(file, 'utf8'));
  if (noise.length > 0) {
    console.log(
      `npm test printed ${noise.length} line(s) besides its per-file lines and summary; the first:`,
    );
    console.log(noise.slice(0, 20).join('\n'));
    process.exit(1);
  }
}
