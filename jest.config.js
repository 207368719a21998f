// `npm test` runs every workspace that owns a jest.config.js as one Jest project. The list is built here
// rather than with globs because Jest treats a glob that matches nothing (final-app/ before it exists) as a
// missing config file. The walkthrough is left out: it runs the real commands on their default ports, so it
// has its own script (`npm run test:walkthrough`) and can't collide with an `npm start` left running.
const fs = require('node:fs');
const path = require('node:path');

const workspaceGroups = ['packages', 'labs', 'final-app'];

const projects = workspaceGroups.flatMap((group) => {
  const groupDir = path.join(__dirname, group);
  if (!fs.existsSync(groupDir)) return [];
  return fs
    .readdirSync(groupDir)
    .sort()
    .map((name) => path.join(groupDir, name, 'jest.config.js'))
    .filter(
      (configFile) => fs.existsSync(configFile) && !configFile.includes(`${path.sep}walkthrough${path.sep}`),
    );
});

// One worker per core. Most test files wait on child processes (sandboxes, Java, Jest runs of a lab), so
// Jest's default (cores - 1, a single worker on 2 cores) left a core idle: on 2 cores, 2 workers took 249 s
// against 368 s for 1, with the same CPU time (`npm run bench:test` measures it). More workers than cores
// overloaded a fresh clone, whose caches are all cold, and pushed hundreds of tests past their timeouts.
/** @type {import('jest').Config} */
module.exports = {
  projects,
  maxWorkers: '100%',
  // A worker's exit tears down the heap of every test file it ran. On a loaded CI machine that once took
  // longer than Jest's 500 ms default and Jest printed its leak warning, while runs instrumented to list the
  // open handles 40 ms after each worker's end found none. A real leak still shows: the worker is then
  // killed after this longer wait, with the same warning.
  workerGracefulExitTimeout: 5000,
  // One DynamoDB Local for the whole run, which every in-memory local-cloud service borrows (each in a
  // namespace of its own), instead of a Java start per test file.
  globalSetup: '<rootDir>/packages/local-cloud/jest/global-setup.ts',
  globalTeardown: '<rootDir>/packages/local-cloud/jest/global-teardown.ts',
};
