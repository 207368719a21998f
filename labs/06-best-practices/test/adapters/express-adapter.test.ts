import { expressApp } from '../../src/adapters/express-http';
import { testImagesApi } from '../support/images-fixtures';
import { sendOnce } from '../support/http-server';
import { describeApiCases } from './api-cases';

describeApiCases('the Express adapter', (request) => sendOnce(expressApp(testImagesApi()), request));
