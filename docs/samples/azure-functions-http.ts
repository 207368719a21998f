// The same tiny HTTP function on Azure Functions (Node.js programming model v4), shown in the docs'
// three-clouds chapter. Compiled by `npm run typecheck` against the real @azure/functions types.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

// #region http
export async function hello(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const name = request.query.get('name') ?? 'world';
  context.log(`hello called for ${name}`);
  return { status: 200, jsonBody: { message: `Hello, ${name}!` } };
}

app.http('hello', { methods: ['GET'], authLevel: 'anonymous', handler: hello });
// #endregion

// #region storage
export async function onUpload(blob: unknown, context: InvocationContext): Promise<void> {
  context.log(`new blob ${String(context.triggerMetadata?.name)}`);
}

app.storageBlob('onUpload', { path: 'uploads/{name}', connection: 'AzureWebJobsStorage', handler: onUpload });
// #endregion
