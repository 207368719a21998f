import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { gcpHandler } from '../../src/adapters/gcp-http';
import { testImagesApi } from '../support/images-fixtures';
import { sendOnce } from '../support/http-server';
import { describeApiCases } from './api-cases';

let registered = 0;

describeApiCases('the Google Cloud Functions adapter', (request) => {
  // The Functions Framework's own server: its body parsing and rawBody, as in production.
  const name = `images-${++registered}`;
  http(name, gcpHandler(testImagesApi()));
  const server = getTestServer(name);
  // The framework answers malformed JSON itself (an HTML 400, before the function runs): sent as text, the
  // body reaches the function as bytes and the app decides, as behind every other adapter.
  return sendOnce((req, res) => server.emit('request', req, res), request, 'text/plain');
});
