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
module.exports = {
  projects,
  // Jest's default is one worker fewer than the cores: one worker on a 2-core laptop. Much of the suite waits
  // on child processes (DynamoDB Local, Lambda sandboxes, the framework), so more workers than cores keep the
  // cores busy: `npm run bench:test` measures it against Jest's default.
  maxWorkers: '150%',
};
