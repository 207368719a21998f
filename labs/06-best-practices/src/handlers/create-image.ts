// Thin: the Lambda adapter in front of the shared app. API Gateway routes only this function's method and
// path here, and its IAM role allows only the table action that route needs.
import { lambdaHandler } from '../adapters/lambda-http';
import { lambdaImagesApi } from './dependencies';

export const handler = lambdaHandler(lambdaImagesApi());
