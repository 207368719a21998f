module.exports = { ...require('../../jest.base.js'), displayName: 'docs-site' };
