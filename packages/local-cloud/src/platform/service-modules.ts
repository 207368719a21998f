// Every service the platform runs, in the order the start-up summary lists them. A new service is a folder with
// its service-module.ts (see service-contract.ts) and one entry here.
import { dynamoDbModule } from '../services/dynamodb/service-module';
import { eventBridgeModule } from '../services/eventbridge/service-module';
import { identityModule } from '../services/identity/service-module';
import { kinesisModule } from '../services/kinesis/service-module';
import { s3Module } from '../services/s3/service-module';
import { secretsModule } from '../services/secrets/service-module';
import { snsModule } from '../services/sns/service-module';
import { sqsModule } from '../services/sqs/service-module';
import { stepFunctionsModule } from '../services/stepfunctions/service-module';
import { otlpModule, xrayModule } from '../services/tracing/service-module';
import { webSocketModule } from '../websocket/service-module';
import type { ServiceDefinition } from '../config/service-definition';
import type { ServiceModule, Stoppable } from './service-contract';

export const SERVICE_MODULES = [
  webSocketModule,
  identityModule,
  s3Module,
  snsModule,
  sqsModule,
  eventBridgeModule,
  kinesisModule,
  stepFunctionsModule,
  secretsModule,
  dynamoDbModule,
  xrayModule,
  otlpModule,
] as const;

type Module = (typeof SERVICE_MODULES)[number];
type RunningOf<M> = M extends ServiceModule<string, infer T> ? T : never;

/** The running services by key; one that runs only for some services may be undefined. */
export type PlatformServices = {
  [M in Module as M['key']]: M extends { runsFor(service: ServiceDefinition): boolean }
    ? RunningOf<M> | undefined
    : RunningOf<M>;
};

/** The list as the platform walks it, each module with its own running type forgotten. */
export const serviceModules = SERVICE_MODULES as readonly ServiceModule<string, Stoppable>[];
