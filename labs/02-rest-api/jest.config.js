const base = require('../../jest.base.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'lab-02',
  // The web page's tests live beside it, in web/test, and run under jsdom (each file says so in a docblock).
  testMatch: [...base.testMatch, '<rootDir>/web/test/**/*.test.tsx'],
  // The handlers read their table's name at module scope, as on AWS: unit tests give them one. The web tests
  // need two browser globals that jsdom lacks.
  setupFiles: ['<rootDir>/test/environment.ts', '<rootDir>/web/test/jsdom-globals.ts'],
};
