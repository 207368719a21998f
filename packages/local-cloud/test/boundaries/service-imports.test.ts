// The repository's ESLint rule that keeps each local-cloud service in its own folder: a service imports the
// shared pieces (src/protocol, src/cloudformation, src/common) and its own files, never another service's.
// Linted as text at the path of a real service file, as `npm run lint` would lint that file.
import path from 'node:path';
import { restrictedImports as lint } from '@serverless-course/test-kit/lint-imports';

const serviceFile = path.join(__dirname, '..', '..', 'src', 'services', 's3', 'cors.ts');
const restrictedImports = (code: string) => lint(serviceFile, code);

describe('a local-cloud service’s imports', () => {
  it('may not reach another service’s folder, by either path', () => {
    const messages = restrictedImports(
      [
        "import type { SnsService } from '../sns/sns-service';",
        "import type { DynamoDbService } from '../../services/dynamodb/dynamodb-service';",
        'export type Both = SnsService | DynamoDbService;',
      ].join('\n'),
    );

    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(
      /^'\.\.\/sns\/sns-service' import is restricted .* A local-cloud service imports no other service's folder: move what both need to src\/protocol, src\/cloudformation or src\/common\.$/,
    );
    expect(messages[1]).toMatch(/^'\.\.\/\.\.\/services\/dynamodb\/dynamodb-service' import is restricted/);
  }, 60_000);

  it('may use the shared pieces and its own files', () => {
    const messages = restrictedImports(
      [
        "import { escapeXml } from '../../protocol/xml';",
        "import { isRecord } from '../../cloudformation/values';",
        "import { ACCOUNT_ID } from '../../common/account';",
        "import { S3Error } from './errors';",
        'export const used = [escapeXml, isRecord, ACCOUNT_ID, S3Error];',
      ].join('\n'),
    );

    expect(messages).toEqual([]);
  }, 60_000);
});
