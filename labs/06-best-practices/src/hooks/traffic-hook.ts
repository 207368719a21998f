// CodeDeploy lifecycle hooks. Before traffic shifts (pre-traffic) and after it has all shifted (post-traffic),
// CodeDeploy invokes a function with a deployment id and an execution id and then waits, up to an hour, for
// PutLifecycleEventHookExecutionStatus: Succeeded lets the deployment go on, Failed rolls it back.

export interface LifecycleHookEvent {
  DeploymentId: string;
  LifecycleEventHookExecutionId: string;
}

export type HookStatus = 'Succeeded' | 'Failed';

/** Port: where the hook's verdict goes (CodeDeploy on AWS, a fake in tests). */
export interface HookStatusReporter {
  report(event: LifecycleHookEvent, status: HookStatus): Promise<void>;
}

/**
 * Runs the check and always reports a verdict, even when the check throws: a hook that never reports leaves
 * the deployment waiting for the hook's one-hour timeout.
 */
export async function runTrafficHook(
  event: LifecycleHookEvent,
  check: () => Promise<void>,
  reporter: HookStatusReporter,
): Promise<HookStatus> {
  // BEGIN SOLUTION canary-config
  // TODO(canary-config): run the check, report Succeeded or Failed (never nothing), and return the status.
  let status: HookStatus = 'Succeeded';
  try {
    await check();
  } catch (error) {
    console.error('traffic hook check failed', error);
    status = 'Failed';
  }
  await reporter.report(event, status);
  return status;
  // END SOLUTION
}
