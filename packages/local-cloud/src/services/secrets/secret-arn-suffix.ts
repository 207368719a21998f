// The six characters AWS appends to a secret's name in its ARN (`secret:db-password-a1B2c3`). AWS draws them
// at random; local-cloud derives them from the name, so a secret keeps its ARN across restarts, and IAM
// (src/iam/requests/secrets.ts) names the same ARN the service answers with.
import { createHash } from 'node:crypto';

export function secretArnSuffix(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...createHash('sha256').update(name).digest().subarray(0, 6)]
    .map((byte) => alphabet[byte % alphabet.length])
    .join('');
}
