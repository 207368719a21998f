// The type checker's thread (see compiler.ts). The course CLI runs from its TypeScript sources through tsx,
// and a new thread has to register tsx again before it can load them.
// TypeScript is megabytes of JavaScript: Node's compile cache (Node 22.1 and later) keeps its compiled code
// between runs, which takes a good part of a second off every check.
require('node:module').enableCompileCache?.();
require('tsx/cjs');
require('./typecheck-thread.ts');
