// How long `npm test` takes on this machine, against a named alternative measured in the same run: the
// configuration before the test run shared one DynamoDB Local (every in-memory local-cloud service started
// its own Java process) and ran on Jest's default single worker, and whether the output on success is quiet.
// Runs alternate, so a machine that slows down during the benchmark slows both alike. Besides the wall time
// it reports the CPU time of the whole process tree, which holds still when something else shares the
// machine: on N cores, CPU / N is the floor of the wall time.
//
//   npm run bench:test [-- --rounds N] [--budget SECONDS]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const { parseArgs } = require('node:util');
const { noiseLines } = require('./quiet-output');

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '1' }, budget: { type: 'string', default: '120' } },
});
const rounds = Number(values.rounds);
const budgetSeconds = Number(values.budget);

const variants = [
  { name: 'npm test (the project config)', args: [], env: {} },
  {
    name: 'before: a DynamoDB Local per test file, one worker',
    args: ['--', '--maxWorkers=1'],
    env: { LOCAL_CLOUD_SHARED_DYNAMODB_LOCAL: 'off' },
  },
];

/** User plus system CPU seconds of this process's waited-for descendants (Linux: /proc/self/stat). */
function childrenCpuSeconds() {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of stat(5), counted from 1; here from the state field, number 3.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}
const CLOCK_TICKS_PER_SECOND = 100;

function run(variant) {
  const cpuBefore = childrenCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync('npm', ['test', ...variant.args], {
    env: { ...process.env, ...variant.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    seconds,
    cpu: childrenCpuSeconds() - cpuBefore,
    passed: result.status === 0,
    noise: noiseLines(`${result.stdout}${result.stderr}`).length,
  };
}

const times = variants.map(() => []);
const cpus = variants.map(() => []);
const notes = variants.map(() => ({ failed: 0, noise: 0 }));
for (let round = 0; round < rounds; round += 1) {
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  for (const index of order) {
    const outcome = run(variants[index]);
    times[index].push(outcome.seconds);
    cpus[index].push(outcome.cpu);
    if (!outcome.passed) notes[index].failed += 1;
    notes[index].noise = Math.max(notes[index].noise, outcome.noise);
    console.log(
      `round ${round + 1}: ${variants[index].name}: ${outcome.seconds.toFixed(1)} s (CPU ${outcome.cpu.toFixed(0)} s)`,
    );
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const [ours, alternative] = times.map(median);
console.log(`\n${os.cpus().length} cores, Node.js ${process.version}, ${rounds} round(s), median wall time:`);
variants.forEach((variant, index) => {
  const note = notes[index];
  console.log(
    `  ${median(times[index]).toFixed(1).padStart(6)} s  (CPU ${median(cpus[index]).toFixed(0)} s)  ${variant.name}` +
      `${note.failed ? `  (${note.failed} run(s) failed)` : ''}  noise lines: ${note.noise}`,
  );
});
console.log(
  `  ratio: ${(ours / alternative).toFixed(2)}x the alternative's time (budget: ${budgetSeconds} s)`,
);
process.exitCode = ours > budgetSeconds || notes[0].failed > 0 || notes[0].noise > 0 ? 1 : 0;
