// How the platform starts and stops its service modules: in waves that respect `after`, side by side within
// a wave, and all stopped (then what closes last) even when one start fails.
import { RunningServices } from '../../src/platform/running-services';
import type { ServiceModule, Stoppable } from '../../src/platform/service-contract';

function module(key: string, after?: string[]): ServiceModule<string, Stoppable> {
  return { key, ...(after && { after }), start: () => Promise.reject(new Error('not used')) };
}

describe('RunningServices', () => {
  it('starts a module only once the modules it runs after are running, and the others side by side', async () => {
    const events: string[] = [];
    const running = new RunningServices();
    const starting = new Map<string, () => void>();
    const started = running.start([module('s3', ['sns']), module('sns'), module('identity')], (m) => {
      events.push(`start ${m.key}`);
      return new Promise((resolve) =>
        starting.set(m.key, () => {
          events.push(`ready ${m.key}`);
          resolve({ stop: () => Promise.resolve() });
        }),
      );
    });
    await Promise.resolve();
    // sns and identity start together; s3 waits for sns.
    expect(events).toEqual(['start sns', 'start identity']);
    starting.get('identity')!();
    starting.get('sns')!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['start sns', 'start identity', 'ready identity', 'ready sns', 'start s3']);
    starting.get('s3')!();
    await started;

    // Listed in the modules' order, not in the order their starts finished.
    expect(running.withModules().map(({ module: m }) => m.key)).toEqual(['s3', 'sns', 'identity']);
    expect(Object.keys(running.services()).sort()).toEqual(['identity', 's3', 'sns']);
  });

  it('does not wait for a module that does not run for this service', async () => {
    const running = new RunningServices();
    await running.start([module('s3', ['sns'])], () => Promise.resolve({ stop: () => Promise.resolve() }));
    expect(running.optional(module('s3'))).toBeDefined();
    expect(running.optional(module('sns'))).toBeUndefined();
  });

  it('refuses modules that wait on each other, naming them', async () => {
    const running = new RunningServices();
    await expect(
      running.start([module('a', ['b']), module('b', ['a'])], () =>
        Promise.resolve({ stop: () => Promise.resolve() }),
      ),
    ).rejects.toThrow('service modules wait on each other: a, b');
  });

  it('fails the start when one module fails, and stopAll stops those that started, then what closes last', async () => {
    const stopped: string[] = [];
    const running = new RunningServices();
    running.closeLast(() => {
      stopped.push('edge');
      return Promise.resolve();
    });
    const start = running.start([module('sns'), module('dynamoDb'), module('s3', ['sns'])], (m) =>
      m.key === 'dynamoDb'
        ? Promise.reject(new Error('DynamoDB Local did not start'))
        : Promise.resolve({
            stop: () => {
              stopped.push(m.key);
              return Promise.resolve();
            },
          }),
    );

    await expect(start).rejects.toThrow('DynamoDB Local did not start');
    await running.stopAll();
    // s3 never started: its wave came after the failed one.
    expect(stopped).toEqual(['sns', 'edge']);
  });
});
