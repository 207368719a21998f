// Secrets Manager and SSM Parameter Store as one platform service: both APIs on the edge, values in one file.
import path from 'node:path';
import { serviceModule } from '../../platform/service-contract';
import { createSecretsService } from './secrets-service';

export const secretsModule = serviceModule({
  key: 'secrets',
  start: (context) =>
    createSecretsService({
      service: context.service,
      listener: context.edge.mount(['secretsmanager', 'ssm']),
      host: context.host,
      credentials: context.credentials,
      authorizer: context.authorizer,
      region: context.region,
      inMemory: context.inMemory,
      log: context.log,
    }),
  summary: (secrets) => [
    {
      name: 'Secrets, SSM',
      where: 'AWS endpoint',
      detail: `values in ${path.relative(process.cwd(), secrets.secretsFile) || secrets.secretsFile}`,
    },
  ],
});
