// The repository's ESLint rule that keeps the domain (src/core) free of AWS: no AWS SDK, no adapter, no
// handler. Linted as text at the path of a real core file, as `npm run lint` would lint that file.
import path from 'node:path';
import { restrictedImports as lint } from '@serverless-course/test-kit/lint-imports';

const coreFile = path.join(__dirname, '..', '..', '..', 'src', 'core', 'images.ts');
const restrictedImports = (code: string) => lint(coreFile, code);

describe('the core’s imports', () => {
  it('may not name the AWS SDK, an adapter or a handler', () => {
    const messages = restrictedImports(
      [
        "import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import type * as Adapters from '../adapters/aws-clients';",
        "import type * as Handlers from '../handlers/create-group';",
        'export type Reached = DynamoDBClient | typeof Adapters | typeof Handlers;',
      ].join('\n'),
    );

    expect(messages).toEqual([
      expect.stringMatching(
        /^'@aws-sdk\/client-dynamodb' import is restricted .* core\/ is the domain: no AWS SDK here\./,
      ),
      expect.stringMatching(
        /^'\.\.\/adapters\/aws-clients' import is restricted .* core\/ imports no adapter and no handler/,
      ),
      expect.stringMatching(/^'\.\.\/handlers\/create-group' import is restricted/),
    ]);
  }, 60_000);

  it('may use its own files', () => {
    expect(restrictedImports("import type { Image } from './model';\nexport type Kept = Image;\n")).toEqual(
      [],
    );
  }, 60_000);
});
