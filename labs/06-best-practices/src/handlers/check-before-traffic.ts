// Pre-traffic hook: runs after the new version is deployed and before any traffic reaches it. It checks that
// the new code can read its table; a failure stops the deployment with no user affected.
import type { Handler } from 'aws-lambda';
import { CodeDeployHookReporter } from '../adapters/codedeploy-hook-reporter';
import { runTrafficHook, type HookStatus, type LifecycleHookEvent } from '../hooks/traffic-hook';
import { lambdaImagesApi } from './dependencies';

const reporter = new CodeDeployHookReporter();
const api = lambdaImagesApi();

export const handler: Handler<LifecycleHookEvent, HookStatus> = (event) =>
  runTrafficHook(
    event,
    async () => {
      const response = await api.handle({ method: 'GET', path: '/groups/smoke-test/images', body: null });
      if (response.statusCode !== 200) throw new Error(`listing images answered ${response.statusCode}`);
    },
    reporter,
  );
