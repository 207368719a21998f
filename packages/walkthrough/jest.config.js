// The walkthrough: the README's and the lessons' paths, walked with the real commands, default options and
// default ports. Not part of `npm test` (it needs ports 3000-3010 and 8080 free, as a newcomer's machine has
// them): run it with `npm run test:walkthrough`, as CI does after `npm test`.
/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.base.js'),
  displayName: 'walkthrough',
  // One file at a time: they share the default ports.
  maxWorkers: 1,
};
