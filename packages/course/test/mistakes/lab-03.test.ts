import { describeMistakes } from './corpus';

// One CLI run each, TypeScript and Jest included: seconds apiece, minutes on a busy machine.
jest.setTimeout(240_000);

describeMistakes('03-serverless-framework', [
  {
    name: 'a process.exit in the code',
    task: 'get-image-by-id',
    file: 'src/core/get-image.ts',
    replace: '  const image = await images.getById(imageId);',
    with: '  if (imageId !== "") process.exit(1);\n  const image = await images.getById(imageId);',
    says: [
      /test\/unit\/get-image\.test\.ts was cut short: the code called process\.exit\(1\) at labs\/03-serverless-framework\/src\/core\/get-image\.ts:\d+:\d+/,
    ],
    withinCpuSeconds: 15,
  },
]);
