// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const globals = require('globals');
const importX = require('eslint-plugin-import-x');

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/',
      '**/.serverless/',
      '**/.esbuild/',
      '**/.local-cloud/',
      '**/coverage/',
      '**/dist/',
      '.course/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '.ci/*.js', 'scripts/*.js'] },
        tsconfigRootDir: __dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // An async Lambda handler with nothing to await is idiomatic: `async` is how it hands Lambda a promise.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  ...moduleBoundaries(),
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Scripts the docs site ships to the browser as they are.
    files: ['packages/docs-site/assets/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'script' },
  },
  prettier,
);

/**
 * Module boundaries, one rule set per area (a later set replaces an earlier one for the files it names, so
 * each lists everything its area may not import):
 * - a workspace reaches another through its package name, never by a relative path into its folder
 *   (import-x/no-relative-packages resolves each relative import to tell);
 * - each lab stands alone: no lab imports another lab, the app, or the course's own tools;
 * - the app imports no lab;
 * - the tools the labs and the app use (local-cloud, the test kit) know nothing of them or of the course CLI.
 */
function moduleBoundaries() {
  const code = (area) => [`${area}/**/*.ts`, `${area}/**/*.tsx`, `${area}/**/*.js`];
  const rule = (...names) => ({
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: names, message: 'This area may not depend on that package (see moduleBoundaries).' },
        ],
      },
    ],
  });
  const courseTools = [
    '@serverless-course/course',
    '@serverless-course/dev-server',
    '@serverless-course/walkthrough',
  ];
  return [
    {
      // Resolves each relative import and fails it when it lands in another workspace's folder (another
      // package.json), whatever the path looks like: `../../02-rest-api/src/errors` from a lab, say.
      files: [...code('packages'), ...code('labs'), ...code('final-app')],
      plugins: { 'import-x': importX },
      settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } } },
      rules: { 'import-x/no-relative-packages': 'error' },
    },
    {
      files: code('labs'),
      rules: rule(...courseTools, '@serverless-course/lab-*', '@serverless-course/udagram-*'),
    },
    { files: code('final-app'), rules: rule(...courseTools, '@serverless-course/lab-*') },
    { files: [...code('packages/local-cloud'), ...code('packages/test-kit')], rules: rule(...courseTools) },
    { files: code('packages/test-kit'), rules: rule(...courseTools, '@serverless-course/local-cloud') },
  ];
}
