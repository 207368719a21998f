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

/** @type {import('jest').Config} */
// Jest's default worker count (cores - 1). More workers measured faster on a warm machine (3 workers: 158 s
// against 170 s for 2, 178 s for 1), but on a fresh clone, with every cache cold, 3 workers on 2 cores pushed
// the load past 20 and hundreds of tests past their timeouts: `npm run bench:test` is where to try again.
module.exports = { projects };
