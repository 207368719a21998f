// Pre-traffic hook: runs after the new version is deployed and before any traffic reaches it. It checks that
// the new code can read its table; a failure stops the deployment with no user affected.
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
        const response = await api.handle({ method: 'GET', path: '/groups/smoke-test/images', body: null });
        if (response.statusCode !== 200) throw new Error(`listing images answered ${response.statusCode}`);
      },
      reporter,
    ),
  flushTraces,
);
