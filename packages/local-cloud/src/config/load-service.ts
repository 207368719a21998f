// Reads a service folder as the framework would deploy it: `serverless print` (or its cached output when
// nothing it reads has changed), then normalisation into a ServiceDefinition.
import { statSync } from 'node:fs';
import path from 'node:path';
import { readCachedPrint, writeCachedPrint } from './config-cache';
import { collectConfigInputs, digestConfigInputs, findConfigFile } from './config-inputs';
import { normalizeService } from './normalize';
import { findServerlessFramework, runServerlessPrint, type ServerlessPrintRunner } from './serverless-print';
import { ServiceConfigError } from './service-config-error';
import type { ServiceDefinition } from './service-definition';

export interface LoadServiceOptions {
  /** As `serverless print --stage`; the configuration's own stage (usually `${opt:stage, 'dev'}`) otherwise. */
  stage?: string;
  /** As `serverless print --region`: the region functions run in, whatever provider.region says. */
  region?: string;
  /** False resolves with the framework even when a cached resolution is current. Default true. */
  cache?: boolean;
  /** Replaces the framework run (tests count its calls). */
  runPrint?: ServerlessPrintRunner;
}

export interface LoadedService {
  service: ServiceDefinition;
  /** True when the framework did not run: the cached resolution was current. */
  fromCache: boolean;
  /** The framework's configuration warnings, one line each. */
  warnings: string[];
  /** The configuration file read (absolute). */
  configFile: string;
}

/** The service's normalised definition. */
export async function loadService(
  servicePath: string,
  options: LoadServiceOptions = {},
): Promise<ServiceDefinition> {
  return (await resolveService(servicePath, options)).service;
}

/** The definition and how it was obtained: from the cache or not, with the framework's warnings. */
export async function resolveService(
  servicePath: string,
  options: LoadServiceOptions = {},
): Promise<LoadedService> {
  const folder = path.resolve(servicePath);
  if (!isFolder(folder)) {
    throw new ServiceConfigError(folder, 'no such folder', 'pass the folder that holds serverless.yml');
  }
  const configFile = findConfigFile(folder);
  if (!configFile) {
    throw new ServiceConfigError(
      path.join(folder, 'serverless.yml'),
      'not found',
      'pass the folder that holds serverless.yml, e.g. `local-cloud start labs/01-hello-lambda`',
    );
  }
  const framework = findServerlessFramework(folder, configFile);
  const inputs = collectConfigInputs(folder, configFile);
  const key = digestConfigInputs(inputs, {
    serverless: framework.version,
    stage: options.stage ?? null,
    ...(options.region ? { region: options.region } : {}),
  });
  const useCache = options.cache !== false && inputs.cacheable;
  // One cache entry per stage (and region given), so switching keeps both.
  const variant = options.region ? `${options.stage ?? 'default-stage'}.${options.region}` : options.stage;

  let output = useCache ? readCachedPrint(folder, variant, key) : undefined;
  const fromCache = output !== undefined;
  if (!output) {
    const runPrint = options.runPrint ?? runServerlessPrint;
    output = await runPrint({
      servicePath: folder,
      configFile,
      stage: options.stage,
      region: options.region,
    });
    if (inputs.cacheable) writeCachedPrint(folder, variant, key, output);
  }
  const normalized = normalizeService(output.config, {
    servicePath: folder,
    configFile,
    stage: options.stage,
  });
  // As the framework deploys: --region wins over provider.region.
  const service = options.region
    ? { ...normalized, provider: { ...normalized.provider, region: options.region } }
    : normalized;
  return { service, fromCache, warnings: output.warnings, configFile };
}

function isFolder(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}
