import { describeMistakes } from './corpus';

// One CLI run each, TypeScript and Jest included: seconds apiece, minutes on a busy machine.
jest.setTimeout(240_000);

describeMistakes('04-event-processing', [
  {
    name: 'a field missing from a typed result',
    task: 'search-index',
    file: 'src/adapters/minisearch-index.ts',
    replace: '        timestamp: result.timestamp as string,\n',
    with: '',
    says: [
      /labs\/04-event-processing\/src\/adapters\/minisearch-index\.ts:\d+:\d+ {2}Type .* is not assignable to type 'ImageDocument\[\]'\. \(TS2322\) {2}\(task search-index\)/,
      /^ +Property 'timestamp' is missing in type .* but required in type 'ImageDocument'\.$/m,
    ],
    withinCpuSeconds: 15,
  },
]);
