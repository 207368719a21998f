// Shared Jest settings: every workspace's jest.config.js spreads these and adds its displayName.
// @swc/jest strips types without checking them (fast); `npm run typecheck` is where types are checked.
const swc = (syntax) => [
  '@swc/jest',
  {
    jsc: {
      parser: syntax,
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
  transform: {
    '^.+\\.ts$': swc({ syntax: 'typescript' }),
    '^.+\\.tsx$': swc({ syntax: 'typescript', tsx: true }),
    // middy ships ES modules only; Jest's module loader needs CommonJS, so its files are compiled too.
    '/node_modules/@middy/.+\\.js$': swc({ syntax: 'ecmascript' }),
  },
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  clearMocks: true,
  restoreMocks: true,
};
