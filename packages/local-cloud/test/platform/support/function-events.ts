// The events functions received, read from the `EVENT {...}` lines the fixture handlers log, and awaited:
// a test waits for the delivery it expects (bounded), never for a fixed time.
import type { FunctionLogLine } from '../../../src/lambda/create-lambda-service';

export interface ReceivedEvent<T = unknown> {
  functionKey: string;
  /** As the handler received it; tests name its type (S3Event, SNSEvent, ...). */
  event: T;
}

interface Waiter {
  matches(received: ReceivedEvent): boolean;
  resolve(received: ReceivedEvent): void;
}

export class FunctionEvents {
  readonly received: ReceivedEvent[] = [];
  private readonly waiters = new Set<Waiter>();

  /** Pass as LambdaServiceOptions.onLog. */
  readonly onLog = (line: FunctionLogLine): void => {
    const at = line.text.indexOf('EVENT {');
    if (at === -1) return;
    const received = JSON.parse(line.text.slice(at + 'EVENT '.length)) as ReceivedEvent;
    this.received.push(received);
    for (const waiter of this.waiters) {
      if (waiter.matches(received)) {
        this.waiters.delete(waiter);
        waiter.resolve(received);
      }
    }
  };

  /** The first event (already received or still to come) of the function that satisfies `matches`. */
  waitFor<T>(
    functionKey: string,
    matches: (event: T) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<ReceivedEvent<T>> {
    const test = (received: ReceivedEvent) =>
      received.functionKey === functionKey && matches(received.event as T);
    const already = this.received.find(test) as ReceivedEvent<T> | undefined;
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.received.map((event) => event.functionKey).join(', ') || 'none';
        reject(
          new Error(`${functionKey} received no matching event within ${timeoutMs} ms (received: ${seen})`),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        matches: test,
        resolve: (received) => {
          clearTimeout(timer);
          resolve(received as ReceivedEvent<T>);
        },
      };
      this.waiters.add(waiter);
    });
  }

  of<T>(functionKey: string): ReceivedEvent<T>[] {
    return this.received.filter((received) => received.functionKey === functionKey) as ReceivedEvent<T>[];
  }
}
