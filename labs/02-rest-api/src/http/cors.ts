// CORS for the Lambda proxy integration. `cors: true` in serverless.yml makes API Gateway answer the
// browser's preflight (OPTIONS), but with the proxy integration the actual GET and POST responses come
// straight from the function: unless it adds Access-Control-Allow-Origin, the browser hides them from the page.

/**
 * The CORS headers every response of this API carries. `allowedOrigin` is `*` (any site may read the API,
 * which holds no per-user data and takes no cookies) or one origin such as `https://udagram.example.com`.
 */
export function corsHeaders(allowedOrigin: string): Record<string, string> {
  // BEGIN SOLUTION cors-and-errors
  // TODO(cors-and-errors): allow the origin; with one named origin, add Vary: Origin for caches.
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': allowedOrigin };
  if (allowedOrigin !== '*') headers.Vary = 'Origin';
  return headers;
  // END SOLUTION
}
