#!/usr/bin/env node
// No build step: tsx compiles the TypeScript sources as they load, so `npm install` then `npm start` works.
require('tsx/cjs');
const { main } = require('../src/cli.ts');

main(process.argv.slice(2)).then((code) => {
  // exitCode rather than process.exit(), so output piped to another program is flushed before Node exits.
  process.exitCode = code;
  // stop() closes everything it opened; should a handle still linger (a bug), Ctrl+C must still end the
  // program. The timer is unref'd: it only fires if something else keeps Node alive.
  setTimeout(() => process.exit(code), 3000).unref();
});
