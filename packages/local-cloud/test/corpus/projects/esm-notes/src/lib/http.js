export const json = (statusCode, body, headers = {}) => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export const badRequest = (message) => json(400, { message });

/** The request's JSON body, or undefined when it is missing or not JSON. */
export function parseBody(event) {
  try {
    return JSON.parse(event.body ?? '');
  } catch {
    return undefined;
  }
}
