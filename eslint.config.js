// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const globals = require('globals');
const importX = require('eslint-plugin-import-x');
const fs = require('node:fs');
const path = require('node:path');

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
 * - the tools the labs and the app use (local-cloud, the test kit) know nothing of them or of the course CLI;
 * - a core/ folder (the domain, in the app and the labs that have one) imports no AWS SDK, no adapter and no
 *   handler: they depend on it, never the other way round;
 * - each local-cloud service (a folder of packages/local-cloud/src/services) imports no other service's
 *   folder: what two services share lives in src/protocol, src/cloudformation or src/common.
 */
function moduleBoundaries() {
  const code = (area) => [`${area}/**/*.ts`, `${area}/**/*.tsx`, `${area}/**/*.js`];
  const packages = (...names) => ({
    group: names,
    message: 'This area may not depend on that package (see moduleBoundaries).',
  });
  const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
  const rule = (...names) => restrict(packages(...names));
  const domain = [
    {
      group: ['@aws-sdk/*', 'aws-sdk', 'aws-sdk/*'],
      message: 'core/ is the domain: no AWS SDK here. Reach AWS through a port that an adapter implements.',
    },
    {
      group: ['**/adapters', '**/adapters/*', '**/handlers', '**/handlers/*'],
      message: 'core/ imports no adapter and no handler: they depend on the core, not the other way round.',
    },
  ];
  const servicesFolder = path.join(__dirname, 'packages/local-cloud/src/services');
  const services = fs
    .readdirSync(servicesFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const otherService = {
    // `../x` from a service's folder is another service's folder; so is any path through `services/`.
    regex: '^\\.\\./(?!\\.\\./)|/services/',
    message:
      "A local-cloud service imports no other service's folder: move what both need to src/protocol, src/cloudformation or src/common.",
  };
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
    {
      files: code('labs/*/src/core'),
      rules: restrict(
        packages(...courseTools, '@serverless-course/lab-*', '@serverless-course/udagram-*'),
        ...domain,
      ),
    },
    {
      files: code('final-app/*/src/core'),
      rules: restrict(packages(...courseTools, '@serverless-course/lab-*'), ...domain),
    },
    ...services.map((service) => ({
      files: code(`packages/local-cloud/src/services/${service}`),
      rules: restrict(packages(...courseTools), otherService),
    })),
  ];
}
