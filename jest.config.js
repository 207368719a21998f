// `npm test` runs every workspace that owns a jest.config.js as one Jest project. The list is built here
// rather than with globs because Jest treats a glob that matches nothing (final-app/ before it exists) as a
// missing config file.
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
    .filter((configFile) => fs.existsSync(configFile));
});

/** @type {import('jest').Config} */
module.exports = { projects };
