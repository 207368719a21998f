// Preloaded (node --require) into the Serverless Framework by serverless-package.ts.
//
// serverless-esbuild builds each function through an esbuild context and disposes of the contexts only after
// every build succeeded. When one fails (a syntax error in a handler), the open contexts keep esbuild's
// service process, and so Node, alive: the framework prints the error and never exits, and a test waits out
// its whole timeout. Packaging builds once, so the plugin gets esbuild without `context`; it then falls back
// to esbuild.build, which leaves nothing open whether the build passes or fails.
const Module = require('node:module');

const load = Module._load;
Module._load = function loadEsbuildWithoutContexts(request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  return request === 'esbuild' ? { ...loaded, context: undefined } : loaded;
};
