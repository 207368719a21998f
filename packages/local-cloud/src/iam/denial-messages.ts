// AWS's words for a denied call, which services send as the message of their access-denied error, and the
// signing key a verified request names (whose role is calling). The message names the caller's
// assumed-role ARN, the action and the resource, and why: "because no identity-based policy allows the ...
// action" or "with an explicit deny in an identity-based policy". Services differ in small ways that SDKs
// and students see: SNS writes the action's prefix in capitals (`SNS:Publish`), SQS writes the whole action
// in lower case (`sqs:sendmessage`), S3 puts the resource in quotes.
import type { Authorizer, Denial } from './authorizer';
import type { AuthorizationRequest } from './policy-types';

export type DenialStyle = 'default' | 'sns' | 'sqs' | 's3';

export function accessDeniedMessage(denial: Denial, style: DenialStyle = 'default'): string {
  const action = shownAction(denial.request.action, style);
  const resource = style === 's3' ? `"${denial.request.resource}"` : denial.request.resource;
  const reason =
    denial.explicitDeny === undefined
      ? `because no identity-based policy allows the ${action} action`
      : 'with an explicit deny in an identity-based policy';
  return `User: ${denial.principalArn} is not authorized to perform: ${action} on resource: ${resource} ${reason}`;
}

function shownAction(action: string, style: DenialStyle): string {
  const colon = action.indexOf(':');
  if (style === 'sqs') return action.toLowerCase();
  if (style === 'sns') return `SNS${action.slice(colon)}`;
  return action;
}

/** The access key id a request is signed with (header or presigned URL); undefined when it is not signed. */
export function signingKeyOf(
  headers: Record<string, string | string[] | undefined>,
  url: string,
): string | undefined {
  const authorization = headers.authorization;
  const text = Array.isArray(authorization) ? authorization[0] : authorization;
  if (text !== undefined) return /Credential=([^/,\s]+)\//.exec(text)?.[1];
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return undefined;
  const credential = new URLSearchParams(url.slice(queryAt + 1)).get('X-Amz-Credential');
  return credential?.split('/')[0];
}

/**
 * Asks `authorizer` (when the service has one) whether the caller that signed `req` may make `requests`:
 * the denial to answer with, or undefined to go on. `requests` is worked out only for a role's call.
 */
export function deniedCall(
  authorizer: Authorizer | undefined,
  req: { headers: Record<string, string | string[] | undefined>; url?: string },
  requests: () => AuthorizationRequest[],
): Denial | undefined {
  return authorizer?.check(signingKeyOf(req.headers, req.url ?? '/'), requests);
}

/** A JSON-protocol service's question: may the caller that signed `req` run `operation` with `input`? */
export type AuthorizeOperation = (
  req: { headers: Record<string, string | string[] | undefined>; url?: string },
  operation: string,
  input: Record<string, unknown>,
) => Denial | undefined;
