// EventBridge as a platform service: its API on the edge; buses, rules and schedules from the service's
// CloudFormation and functions' `eventBridge` events; a target for other services (`arn:aws:events:...`
// event-bus ARNs: Lambda destinations, other buses' rules); and, once functions can run, the schedules.
import { serviceModule } from '../../platform/service-contract';
import { settled } from '../../platform/targets';
import { BUS_TYPE, RULE_TYPE, SCHEDULE_TYPE } from './declared';
import { createEventBridgeService } from './eventbridge-service';

export const eventBridgeModule = serviceModule({
  key: 'eventBridge',
  emulates: { events: ['eventBridge'], resources: [BUS_TYPE, RULE_TYPE, SCHEDULE_TYPE] },
  start: (context) =>
    createEventBridgeService({
      service: context.service,
      listener: context.edge.mount(['events']),
      host: context.host,
      credentials: context.credentials,
      authorizer: context.authorizer,
      region: context.region,
      deliver: context.deliver,
      inMemory: context.inMemory,
      log: context.log,
    }),
  // Ref of a bus is its name, of a rule its name, of a schedule its name; Fn::GetAtt gives each its Arn.
  resources: (eventBridge) => {
    const resources: Record<string, { type: string; ref: string; attributes: Record<string, string> }> = {};
    for (const bus of eventBridge.buses.buses.values()) {
      if (!bus.logicalId) continue;
      resources[bus.logicalId] = {
        type: BUS_TYPE,
        ref: bus.name,
        attributes: { Arn: bus.arn, Name: bus.name },
      };
    }
    for (const rule of eventBridge.buses.rules.values()) {
      if (!rule.logicalId) continue;
      resources[rule.logicalId] = { type: RULE_TYPE, ref: rule.name, attributes: { Arn: rule.arn } };
    }
    for (const schedule of eventBridge.schedules) {
      resources[schedule.logicalId] = {
        type: SCHEDULE_TYPE,
        ref: schedule.name,
        attributes: { Arn: schedule.arn },
      };
    }
    return resources;
  },
  // Other services put events on a bus by its ARN, with the entry's source and detail-type in `event` and the
  // detail as the body (a Lambda destination: source lambda, "Lambda Function Invocation Result - Success").
  target: (eventBridge) => ({
    arnService: 'events',
    deliver: (arn, message) => settled(() => ({ id: eventBridge.buses.putFromService(arn, message) })),
  }),
  warnings: (eventBridge) => eventBridge?.declared.warnings ?? [],
  summary: (eventBridge) => {
    const buses = [...eventBridge.buses.buses.keys()];
    const rules = [...eventBridge.buses.rules.values()].map((rule) => rule.name);
    const schedules = eventBridge.schedules.map((schedule) => schedule.name);
    return [
      {
        name: 'EventBridge',
        where: 'AWS endpoint',
        detail:
          `buses ${buses.join(', ')}; rules ${rules.join(', ') || 'none'}` +
          (schedules.length > 0 ? `; schedules ${schedules.join(', ')}` : ''),
      },
    ];
  },
  connect: (eventBridge) => {
    eventBridge.startSchedules();
    return Promise.resolve(undefined);
  },
});
