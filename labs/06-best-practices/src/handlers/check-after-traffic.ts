// Post-traffic hook: runs once all traffic is on the new version. It reads an image that cannot exist and
// expects the app's 404, which proves routing, validation and error handling on the live version.
// First: the SDK's instrumentations must be in place before the AWS SDK and node:http load.
import '../tracing/start-tracing';
import type { Handler } from 'aws-lambda';
import { CodeDeployHookReporter } from '../adapters/codedeploy-hook-reporter';
import { runTrafficHook, type HookStatus, type LifecycleHookEvent } from '../hooks/traffic-hook';
import { flushTraces } from '../tracing/otel-setup';
import { tracedHandler } from '../tracing/tracer';
import { lambdaImagesApi } from './dependencies';

const reporter = new CodeDeployHookReporter();
const api = lambdaImagesApi();

export const handler: Handler<LifecycleHookEvent, HookStatus> = tracedHandler<LifecycleHookEvent, HookStatus>(
  (event) =>
    runTrafficHook(
      event,
      async () => {
        const response = await api.handle({
          method: 'GET',
          path: '/groups/smoke-test/images/none',
          body: null,
        });
        if (response.statusCode !== 404)
          throw new Error(`reading a missing image answered ${response.statusCode}`);
      },
      reporter,
    ),
  flushTraces,
);
