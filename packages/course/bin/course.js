#!/usr/bin/env node
// No build step: tsx compiles the TypeScript sources as they load, so `npm install` then `npx course` works.
require('tsx/cjs');
const { main } = require('../src/main.ts');

// exitCode rather than process.exit(), so output piped to another program is flushed before Node exits.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
