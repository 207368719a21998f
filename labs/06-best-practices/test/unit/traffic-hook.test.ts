import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CodeDeployHookReporter } from '../../src/adapters/codedeploy-hook-reporter';
import { runTrafficHook, type HookStatus, type LifecycleHookEvent } from '../../src/hooks/traffic-hook';

const event: LifecycleHookEvent = { DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'exec-1' };

function recordingReporter() {
  const reports: [LifecycleHookEvent, HookStatus][] = [];
  return {
    reports,
    report: (e: LifecycleHookEvent, status: HookStatus) => (reports.push([e, status]), Promise.resolve()),
  };
}

describe('a CodeDeploy traffic hook', () => {
  it('reports Succeeded when the check passes', async () => {
    const reporter = recordingReporter();

    const status = await runTrafficHook(event, () => Promise.resolve(), reporter);

    expect(status).toBe('Succeeded');
    expect(reporter.reports).toEqual([[event, 'Succeeded']]);
  });

  it('reports Failed, rather than nothing, when the check throws', async () => {
    const reporter = recordingReporter();
    jest.spyOn(console, 'error').mockImplementation(() => {});

    const status = await runTrafficHook(
      event,
      () => Promise.reject(new Error('listing answered 500')),
      reporter,
    );

    expect(status).toBe('Failed');
    expect(reporter.reports).toEqual([[event, 'Failed']]);
  });
});

describe('CodeDeployHookReporter', () => {
  const codeDeploy = mockClient(CodeDeployClient);

  beforeEach(() => codeDeploy.reset());

  it('sends PutLifecycleEventHookExecutionStatus with the ids from the event', async () => {
    codeDeploy
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .resolves({ lifecycleEventHookExecutionId: 'exec-1' });
    const reporter = new CodeDeployHookReporter();

    await reporter.report(event, 'Failed');

    expect(codeDeploy).toHaveReceivedCommandTimes(PutLifecycleEventHookExecutionStatusCommand, 1);
    expect(codeDeploy).toHaveReceivedCommandWith(PutLifecycleEventHookExecutionStatusCommand, {
      deploymentId: 'd-ABC123',
      lifecycleEventHookExecutionId: 'exec-1',
      status: 'Failed',
    });
  });

  it('lets a CodeDeploy error reach the hook, which then fails its invocation', async () => {
    codeDeploy
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejects(new Error('DeploymentDoesNotExistException'));

    await expect(new CodeDeployHookReporter().report(event, 'Succeeded')).rejects.toThrow(
      'DeploymentDoesNotExistException',
    );
  });
});
