import path from 'node:path';
import { reproduction } from '../src/serverless-package';

const REPOSITORY = path.resolve(__dirname, '..', '..', '..');

describe('reproduction, the command a failed serverless package suggests', () => {
  it('works when pasted in the repository root, whatever folder Jest ran in, without the temporary folder', () => {
    const lab = path.join(REPOSITORY, 'labs', '01-hello-lambda');

    expect(reproduction(lab, ['package', '--package', '/tmp/serverless-package-x1', '--stage', 'prod'])).toBe(
      'cd labs/01-hello-lambda && npx serverless package --stage prod',
    );
    expect(reproduction(lab, ['print', '--format', 'json'])).toBe(
      'cd labs/01-hello-lambda && npx serverless print --format json',
    );
  });
});
