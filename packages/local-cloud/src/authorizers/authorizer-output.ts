// What a Lambda authorizer returns (api-gateway-lambda-authorizer-output): `principalId`, `policyDocument`,
// optionally `context` and `usageIdentifierKey`. API Gateway refuses an output without a principal or a
// policy, and a context value that is an object or a list ("Invalid JSON in response"), with 500; here the
// reason is kept for the execution log.
import { parsePolicyDocument, type CompiledPolicy } from './policy';

export type AuthorizerContextValue = string | number | boolean;

export interface AuthorizerOutput {
  /** A number is accepted and stringified, as API Gateway passes it on. */
  principalId: string;
  policy: CompiledPolicy;
  context: Record<string, AuthorizerContextValue>;
  usageIdentifierKey?: string;
}

export type AuthorizerOutputParse = { ok: true; output: AuthorizerOutput } | { ok: false; problem: string };

/** @param payload the function's result as JSON text, as Lambda returns it. */
export function parseAuthorizerOutput(payload: string): AuthorizerOutputParse {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return fail(`the authorizer's result is not JSON: ${abbreviate(payload)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return fail(
      `the authorizer returned ${abbreviate(payload)}, not an object with principalId and policyDocument`,
    );
  }
  const result = raw as Record<string, unknown>;
  const { principalId } = result;
  if (typeof principalId !== 'string' && typeof principalId !== 'number') {
    return fail(
      `the authorizer's result has ${principalId === undefined ? 'no principalId' : `principalId ${abbreviate(JSON.stringify(principalId))}`}; ` +
        'return the caller\'s id as a string, e.g. principalId: "alice"',
    );
  }
  const policy = parsePolicyDocument(result.policyDocument);
  if (!policy.ok) return fail(`the authorizer's result is malformed: ${policy.problem}`);
  const context = contextOf(result.context);
  if (typeof context === 'string') return fail(context);
  const output: AuthorizerOutput = { principalId: String(principalId), policy: policy.policy, context };
  if (typeof result.usageIdentifierKey === 'string') output.usageIdentifierKey = result.usageIdentifierKey;
  return { ok: true, output };
}

/** The context map, or the reason API Gateway would refuse it. */
function contextOf(value: unknown): Record<string, AuthorizerContextValue> | string {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return `the authorizer's context is ${abbreviate(JSON.stringify(value))}; it must be an object of string, number or boolean values`;
  }
  const context: Record<string, AuthorizerContextValue> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      return (
        `the authorizer's context.${key} is ${abbreviate(JSON.stringify(item) ?? String(item))}; API Gateway accepts only ` +
        'strings, numbers and booleans as context values (no objects, lists or null): JSON.stringify it, or flatten it into several keys'
      );
    }
    context[key] = item;
  }
  return context;
}

function fail(problem: string): AuthorizerOutputParse {
  return { ok: false, problem };
}

function abbreviate(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
