// Thin: the Lambda adapter in front of the shared app. API Gateway routes only this function's method and
// path here, and its IAM role allows only the table action that route needs.
// First: the SDK's instrumentations must be in place before the AWS SDK and node:http load.
import '../tracing/start-tracing';
import { lambdaHandler } from '../adapters/lambda-http';
import { flushTraces } from '../tracing/otel-setup';
import { tracedHandler } from '../tracing/tracer';
import { lambdaImagesApi } from './dependencies';

export const handler = tracedHandler(lambdaHandler(lambdaImagesApi()), flushTraces);
