// Adapter: reports a traffic hook's verdict to CodeDeploy, which waits for it before shifting traffic (or
// rolls back on Failed). The client is created on the first report, not at module scope: only the two hook
// functions ever report, and only once per deployment.
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import type { HookStatus, HookStatusReporter, LifecycleHookEvent } from '../hooks/traffic-hook';

export class CodeDeployHookReporter implements HookStatusReporter {
  private client?: CodeDeployClient;

  constructor(private readonly createClient: () => CodeDeployClient = () => new CodeDeployClient({})) {}

  async report(event: LifecycleHookEvent, status: HookStatus): Promise<void> {
    this.client ??= this.createClient();
    await this.client.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status,
      }),
    );
  }
}
