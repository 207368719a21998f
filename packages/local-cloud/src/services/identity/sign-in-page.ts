// The pages the issuer shows a person: the sign-in form (type a user name), and a plain page for a request
// that cannot be sent back to its app. Small, self-contained HTML with no script: labelled fields, visible
// focus, contrast above WCAG AA, readable on a phone.
import type { AuthorizationRequest } from './authorization-code';

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f4f4f6; }
  main { max-width: 24rem; margin: 10vh auto; padding: 2rem; background: #fff; border-radius: 8px;
         box-shadow: 0 1px 4px rgb(0 0 0 / 0.15); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  input { font: inherit; width: 100%; box-sizing: border-box; padding: 0.5rem; border: 1px solid #555;
          border-radius: 4px; }
  .actions { display: flex; gap: 0.5rem; margin-top: 1rem; }
  button { font: inherit; padding: 0.5rem 1rem; border-radius: 4px; border: 1px solid #0b57d0;
           cursor: pointer; }
  button[value="sign-in"] { background: #0b57d0; color: #fff; }
  button[value="cancel"] { background: #fff; color: #0b57d0; }
  :focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
  .error { color: #b3261e; font-weight: 600; }
  .hint { color: #4a4a4a; font-size: 0.9rem; }
`;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The form POSTs every parameter of the request back, so POST /authorize checks exactly what GET checked. */
export function signInPage(
  request: AuthorizationRequest,
  options: { error?: string; userName?: string } = {},
): string {
  const hidden = {
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: 'code',
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    scope: request.scope,
    ...(request.audience === undefined ? {} : { audience: request.audience }),
    ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
  };
  const fields = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('\n');
  const error = options.error
    ? `<p class="error" id="user-name-error" role="alert">${escapeHtml(options.error)}</p>`
    : '';
  const describedBy = options.error ? 'user-name-hint user-name-error' : 'user-name-hint';
  return page(
    'Sign in: local-cloud',
    `<h1>Sign in to ${escapeHtml(request.clientId)}</h1>
<form method="post" action="/authorize">
${fields}
<label for="user-name">User name</label>
<input id="user-name" name="user_name" autocomplete="username" required autofocus maxlength="64"
  aria-describedby="${describedBy}"${options.error ? ' aria-invalid="true"' : ''} value="${escapeHtml(options.userName ?? '')}">
<p class="hint" id="user-name-hint">Local development only: no password, you are whoever you type.</p>
${error}
<div class="actions">
<button type="submit" name="action" value="sign-in">Sign in</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</div>
</form>`,
  );
}

/** For a request whose redirect URI cannot be trusted, and for a sign-out without a return address. */
export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
