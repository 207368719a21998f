import { HttpRequest, InvocationContext } from '@azure/functions';
import { azureHandler } from '../../src/adapters/azure-http';
import { testImagesApi } from '../support/images-fixtures';
import { describeApiCases } from './api-cases';

describeApiCases('the Azure Functions adapter', async (request) => {
  const handler = azureHandler(testImagesApi());
  const azureRequest = new HttpRequest({
    method: request.method,
    url: `https://images.azurewebsites.net/api${request.path}`,
    body: request.body === undefined ? undefined : { string: request.body },
  });

  const response = await handler(azureRequest, new InvocationContext());

  const headers = new Headers(response.headers);
  return {
    status: response.status ?? 200,
    contentType: headers.get('content-type') ?? undefined,
    body: typeof response.body === 'string' ? (JSON.parse(response.body) as unknown) : response.body,
  };
});
