module.exports = {
  ...require('../../jest.base.js'),
  displayName: 'udagram-frontend',
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
};
