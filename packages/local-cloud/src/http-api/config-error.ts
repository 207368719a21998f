// The error for an HTTP API setting a deploy would refuse, or local-cloud cannot serve: one line naming the
// service's serverless.yml, the problem and the fix (the CLI prints it and exits 2).
import path from 'node:path';
import { findConfigFile } from '../config/config-inputs';
import { ServiceConfigError } from '../config/service-config-error';

export function httpApiConfigError(
  service: { servicePath: string },
  problem: string,
  fix: string,
): ServiceConfigError {
  const file = findConfigFile(service.servicePath) ?? path.join(service.servicePath, 'serverless.yml');
  return new ServiceConfigError(file, problem, fix);
}
