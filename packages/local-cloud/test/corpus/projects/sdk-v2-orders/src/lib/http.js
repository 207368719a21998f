const CORS = { 'Access-Control-Allow-Origin': '*' };

function respond(statusCode, body) {
  return { statusCode, headers: { 'Content-Type': 'application/json', ...CORS }, body: JSON.stringify(body) };
}

module.exports = { respond };
