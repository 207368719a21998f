// Shared Jest settings: every workspace's jest.config.js spreads these and adds its displayName.
// @swc/jest strips types without checking them (fast); `npm run typecheck` is where types are checked.
// `swcrc: false`: a `.swcrc` beside the code under test must not change how its tests compile (grading runs
// students' folders; a `.swcrc` could rewrite `it` or `expect` in every test file).
const swc = (syntax) => [
  '@swc/jest',
  {
    swcrc: false,
    jsc: {
      parser: syntax,
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const ESM_ONLY = [
  '@middy',
  'ajv-ftl-i18n',
  'fluent-transpiler',
  'change-case',
  '@fluent/syntax',
  '@silverbucket/ajv-formats-draft2019',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
  transform: {
    '^.+\\.ts$': swc({ syntax: 'typescript' }),
    '^.+\\.tsx$': swc({ syntax: 'typescript', tsx: true }),
    // These ship ES modules only (middy, and what @middy/validator/transpile loads); Jest's module loader needs
    // CommonJS, so their files are compiled too.
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: swc({ syntax: 'ecmascript' }),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  clearMocks: true,
  restoreMocks: true,
};
