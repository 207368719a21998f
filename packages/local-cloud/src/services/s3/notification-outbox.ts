// S3 delivers event notifications at least once: an object change it acknowledged is notified even if the
// service stops right after. local-cloud keeps that promise across a crash by writing each change's event to
// <dataDir>/notifications/ (fsynced) before the request is acknowledged, and removing it once delivered (the
// function's async invocation finished, or the topic took the message). What a crash or a stop left there is
// delivered again at the next start: a duplicate is possible, a loss is not, as on AWS (handlers must be
// idempotent). In memory (no data folder) there is nothing to survive, so nothing is written.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { S3ObjectEvent } from './object-event';
import { syncDirectory } from './object-store';

export interface PendingNotification {
  id: string;
  event: S3ObjectEvent;
}

export interface NotificationOutbox {
  /** Writes the event durably; resolves with its id once it is on disk. */
  record(event: S3ObjectEvent): Promise<string>;
  /** The event was delivered: it is not sent again. */
  done(id: string): Promise<void>;
  /** What was recorded and never delivered, oldest first; unreadable entries are reported, not lost. */
  pending(): Promise<{ notifications: PendingNotification[]; damaged: string[] }>;
}

export async function openNotificationOutbox(dataDir: string): Promise<NotificationOutbox> {
  const dir = path.join(dataDir, 'notifications');
  const staging = path.join(dataDir, '.tmp');
  await mkdir(dir, { recursive: true });
  await mkdir(staging, { recursive: true });
  return {
    record: async (event) => {
      // Named by the sequencer, so a listing is in the order S3 made the changes.
      const id = `${event.sequencer}-${randomUUID().slice(0, 8)}`;
      const temporary = path.join(staging, `${id}.json`);
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(JSON.stringify(event));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path.join(dir, `${id}.json`));
      await syncDirectory(dir);
      return id;
    },
    done: (id) => rm(path.join(dir, `${id}.json`), { force: true }),
    pending: async () => {
      const notifications: PendingNotification[] = [];
      const damaged: string[] = [];
      for (const name of (await readdir(dir)).filter((file) => file.endsWith('.json')).sort()) {
        const file = path.join(dir, name);
        try {
          notifications.push({
            id: name.slice(0, -'.json'.length),
            event: parseEvent(await readFile(file, 'utf8')),
          });
        } catch {
          damaged.push(file);
        }
      }
      return { notifications, damaged };
    },
  };
}

function parseEvent(text: string): S3ObjectEvent {
  const event = JSON.parse(text) as Partial<S3ObjectEvent>;
  if (
    typeof event.bucket !== 'string' ||
    typeof event.key !== 'string' ||
    typeof event.eventName !== 'string'
  ) {
    throw new Error('not an S3 event');
  }
  return event as S3ObjectEvent;
}
