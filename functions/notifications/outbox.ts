import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Notification, Notifier } from './port.ts';

/**
 * The local transport (contract.md, "Local endpoints"): each message becomes one JSON file
 * `{ id, channel, to, template, personalisation, sentAt }` in the outbox folder, named by its
 * id, so sending the same message again replaces the file rather than adding one. Written to a
 * temporary name and renamed, so a reader never sees half a file.
 */
export function outboxNotifier(dir: string, now: () => Date = () => new Date()): Notifier {
  return {
    async send(n: Notification) {
      await mkdir(dir, { recursive: true });
      const file = `${n.id.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`;
      const body = { id: n.id, channel: n.channel, to: n.to, template: n.template, personalisation: n.personalisation, sentAt: now().toISOString() };
      const temporary = join(dir, `.${file}.${process.pid}.tmp`);
      await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, join(dir, file));
      return { id: n.id };
    },
  };
}
