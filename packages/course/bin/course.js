#!/usr/bin/env node
// No build step: tsx compiles the TypeScript sources as they load, so `npm install` then `npx course` works.
require('tsx/cjs');
const { main } = require('../src/main.ts');

// A reader that stops early (`npx course list | head`) closes the pipe; the next write fails with EPIPE. A
// command-line tool then stops quietly, as one killed by SIGPIPE does, rather than crash with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

// exitCode rather than process.exit(), so output piped to another program is flushed before Node exits.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
