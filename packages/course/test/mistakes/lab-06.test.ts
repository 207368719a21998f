import { describeMistakes } from './corpus';

// One CLI run each, TypeScript and Jest included: seconds apiece, minutes on a busy machine.
jest.setTimeout(240_000);

describeMistakes('06-best-practices', [
  {
    name: 'a task done before the task it uses',
    task: 'lambda-adapter',
    file: 'src/core/validate-new-image.ts',
    replace: '  if (value === undefined || !ID_PATTERN.test(value)) {',
    with: "  throw new (require('@serverless-course/test-kit').NotImplemented)('validate-input');\n  if (value === undefined || !ID_PATTERN.test(value)) {",
    says: ['fails only because validate-input is not done yet: do it first'],
    withinCpuSeconds: 15,
  },
]);
