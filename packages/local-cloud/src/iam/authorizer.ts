// Decides, for each AWS call a function makes, whether its role allows it, as IAM would: the role session the
// request is signed with names the role, its identity policies are evaluated for every authorization request
// of the call (src/iam/requests), and the first one not allowed is the denial the service answers with, in
// its own wire format (src/iam/denial-messages.ts). Calls signed with the account's key pair (tests, the CLI,
// scripts) are an administrator's and always allowed.
//
// Modes: `enforce` (AWS's behaviour), `warn` (allow, and log every call AWS would deny), `off` (no checks).
import type { RoleSessions, RoleSession } from './role-sessions';
import { createPolicyEvaluator } from './policy-evaluation';
import type { AuthorizationRequest, DecidingStatement, Decision } from './policy-types';

export type IamMode = 'enforce' | 'warn' | 'off';
export const IAM_MODES: readonly IamMode[] = ['enforce', 'warn', 'off'];

/** A call AWS would refuse: who asked, for what, and the statement that denied it explicitly, if one did. */
export interface Denial {
  functionKey: string;
  /** `arn:aws:sts::123456789012:assumed-role/<role>/<function name>`. */
  principalArn: string;
  request: AuthorizationRequest;
  explicitDeny?: DecidingStatement;
  /** Where the role is declared, for the fix: `provider.iam.role.statements`. */
  declaredAt: string;
}

export interface Authorizer {
  readonly mode: IamMode;
  /**
   * The denial to answer with when the caller may not make every request of this call (enforce mode), or
   * undefined to go on. Denials are logged in enforce and warn modes. `requests` is only worked out for a
   * caller whose role is checked: an administrator's call costs nothing.
   */
  check(accessKeyId: string | undefined, requests: () => AuthorizationRequest[]): Denial | undefined;
}

export interface AuthorizerOptions {
  mode: IamMode;
  sessions: RoleSessions;
  log: (line: string) => void;
}

type Evaluate = (request: AuthorizationRequest) => Decision;

export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const { mode, sessions, log } = options;
  const evaluators = new WeakMap<RoleSession, Evaluate>();
  const evaluatorOf = (session: RoleSession): Evaluate => {
    let evaluate = evaluators.get(session);
    if (evaluate === undefined) {
      const evaluator = createPolicyEvaluator(session.role.policies, 'identity');
      evaluate = (request) => evaluator(request);
      evaluators.set(session, evaluate);
    }
    return evaluate;
  };
  return {
    mode,
    check(accessKeyId, requests) {
      if (mode === 'off' || accessKeyId === undefined) return undefined;
      const session = sessions.sessionOf(accessKeyId);
      // The account's own key pair, or a role whose policies local-cloud cannot see (it said so at start).
      if (session === undefined || session.role.unknownPolicies !== undefined) return undefined;
      const evaluate = evaluatorOf(session);
      for (const request of requests()) {
        const decision = evaluate(request);
        if (decision.effect === 'allow') continue;
        const denial: Denial = {
          functionKey: session.functionKey,
          principalArn: session.role.sessionArn,
          request,
          declaredAt: session.role.declaredAt,
          ...(decision.effect === 'explicit-deny' ? { explicitDeny: decision.by } : {}),
        };
        log(denialLogLine(denial, mode));
        return mode === 'enforce' ? denial : undefined;
      }
      return undefined;
    },
  };
}

/** What local-cloud prints for a denial: the function, the permission, and the statement to add or change. */
export function denialLogLine(denial: Denial, mode: IamMode): string {
  const { action, resource } = denial.request;
  const verdict = mode === 'enforce' ? 'denied' : 'allowed (--iam warn), but AWS would deny';
  if (denial.explicitDeny !== undefined) {
    const { policy, statement } = denial.explicitDeny;
    return `${denial.functionKey}: ${verdict} ${action} on ${resource}: ${statement} of ${policy} denies it explicitly. Fix: narrow or remove that Deny`;
  }
  return `${denial.functionKey}: ${verdict} ${action} on ${resource}: no statement of its role allows it. Fix: add to ${denial.declaredAt}: { Effect: Allow, Action: ${action}, Resource: ${resource} }`;
}
