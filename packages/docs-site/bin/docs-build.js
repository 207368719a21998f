#!/usr/bin/env node
// No build step: tsx compiles the TypeScript sources as they load.
require('tsx/cjs');
const { main } = require('../src/cli.ts');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
