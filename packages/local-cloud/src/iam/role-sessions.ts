// Each function's role session: the temporary credentials its sandboxes get (as Lambda hands a function its
// execution role's credentials through AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN), and,
// from the access key a request is signed with, which function's role is calling. Keys are random per start
// and never written anywhere: a sandbox learns its own through its environment, nothing else does.
import { randomBytes } from 'node:crypto';
import type { SessionKeyLookup } from '../protocol/sigv4';
import type { FunctionRole } from './function-roles';

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface RoleSession {
  functionKey: string;
  role: FunctionRole;
  credentials: SessionCredentials;
}

export class RoleSessions implements SessionKeyLookup {
  private readonly byAccessKey = new Map<string, RoleSession>();
  private readonly byFunction = new Map<string, RoleSession>();

  /** The session of `functionKey`'s role, created at the first call: its sandboxes sign with these keys. */
  credentialsOf(functionKey: string, role: FunctionRole): SessionCredentials {
    const existing = this.byFunction.get(functionKey);
    if (existing !== undefined) return existing.credentials;
    const session: RoleSession = { functionKey, role, credentials: newCredentials() };
    this.byFunction.set(functionKey, session);
    this.byAccessKey.set(session.credentials.accessKeyId, session);
    return session.credentials;
  }

  /** The role session a request's access key belongs to; undefined for the account's own key pair. */
  sessionOf(accessKeyId: string): RoleSession | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  sessionKeys(accessKeyId: string): { secretAccessKey: string; sessionToken: string } | undefined {
    return this.byAccessKey.get(accessKeyId)?.credentials;
  }
}

/** Shaped like STS's: `ASIA` and 16 upper-case letters and digits, a 40-character secret, a long token. */
function newCredentials(): SessionCredentials {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = [...randomBytes(16)].map((byte) => alphabet[byte % 32]).join('');
  return {
    accessKeyId: `ASIA${id}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
  };
}
