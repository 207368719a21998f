// Post-traffic hook: runs once all traffic is on the new version. It reads an image that cannot exist and
// expects the app's 404, which proves routing, validation and error handling on the live version.
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
      const response = await api.handle({
        method: 'GET',
        path: '/groups/smoke-test/images/none',
        body: null,
      });
      if (response.statusCode !== 404)
        throw new Error(`reading a missing image answered ${response.statusCode}`);
    },
    reporter,
  );
