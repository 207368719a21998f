// Keeps a service's own DynamoDB Local running. When Java exits on its own (killed, crashed, out of memory),
// the log says so at once and it is started again, on the same data when the service persists; after
// `maxRestarts` exits within a minute the supervisor gives up, says what to do, and the endpoint answers why
// instead of a retry-later error forever.
import type { Log } from '../../http/internal-errors';
import type { DynamoDbLocalProcess } from './dynamodb-local-process';

export interface SupervisorOptions {
  /** Starts a new DynamoDB Local like the first one (same data folder). */
  restart(): Promise<DynamoDbLocalProcess>;
  /** Runs once a new DynamoDB Local answers: point the proxy at it, make in-memory tables again. */
  onRestarted(process: DynamoDbLocalProcess): Promise<void>;
  /** Runs when the supervisor gives up, with the sentence the log got. */
  onGaveUp(reason: string): void;
  log: Log;
  /** Exits within `windowMs` after which it stops restarting; default 3. */
  maxRestarts?: number;
  windowMs?: number;
  /** Where the data lives, for the messages; undefined in memory. */
  dataDir?: string;
}

export interface SupervisedDynamoDbLocal {
  /** The DynamoDB Local running now. */
  readonly current: DynamoDbLocalProcess;
  /** Resolves with the last exit code once stopped, or once the supervisor gave up. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function supervise(first: DynamoDbLocalProcess, options: SupervisorOptions): SupervisedDynamoDbLocal {
  const maxRestarts = options.maxRestarts ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  let current = first;
  let stopping = false;
  const exits: number[] = [];
  let finish: (code: number | null) => void = () => undefined;
  const exited = new Promise<number | null>((resolve) => (finish = resolve));

  const watch = (process: DynamoDbLocalProcess): void => {
    void process.exited.then(async (code) => {
      if (stopping) return finish(code);
      const now = Date.now();
      exits.push(now);
      while (exits.length > 0 && exits[0]! < now - windowMs) exits.shift();
      const how = code === null ? 'was killed' : `exited with code ${code}`;
      if (exits.length > maxRestarts) {
        const reason =
          `DynamoDB Local ${how}, its ${exits.length}${ordinal(exits.length)} exit within ${windowMs / 1000} s: local-cloud no longer restarts it. ` +
          `Fix: read Java's output above, then stop local-cloud (Ctrl+C) and start it again` +
          (options.dataDir ? `; if it keeps exiting, move ${options.dataDir} aside` : '');
        options.log(reason);
        options.onGaveUp(reason);
        return finish(code);
      }
      options.log(
        `DynamoDB Local ${how}; starting it again` +
          (options.dataDir
            ? ` on the same data (${options.dataDir})`
            : ': in memory, so its items are gone and its tables are made again'),
      );
      try {
        const next = await options.restart();
        if (stopping) {
          await next.stop();
          return finish(code);
        }
        current = next;
        await options.onRestarted(next);
        options.log(`DynamoDB Local is back (port ${next.port})`);
        watch(next);
      } catch (error) {
        const reason = `DynamoDB Local could not be started again (${(error as Error).message}). Fix: stop local-cloud (Ctrl+C) and start it again`;
        options.log(reason);
        options.onGaveUp(reason);
        finish(code);
      }
    });
  };
  watch(first);

  return {
    get current() {
      return current;
    },
    exited,
    stop: async () => {
      stopping = true;
      await current.stop();
      finish(null);
    },
  };
}

function ordinal(count: number): string {
  return count === 1 ? 'st' : count === 2 ? 'nd' : count === 3 ? 'rd' : 'th';
}
