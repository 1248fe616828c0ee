import * as z from 'zod';
import { ConfigurationError } from './config.ts';

/**
 * Who the staff are, by the id their sign-in gives (the token's subject): the pages show
 * people's names, never ids, and offer the list when a case is assigned. A deployment sets
 * `SC_STAFF_DIRECTORY` to a JSON object `{ "<subject>": "<name>", … }` (docs/runbook.md);
 * without it the demo list below is used (the local stack's tokens are `local-<roles>`, and the
 * local OpenID provider's demo staff sign in as `local-<username>`, infra/local/oidc-provider.ts).
 * An id the directory does not know is shown as it is, so nothing is ever blank.
 */
export const demoStaff: Readonly<Record<string, string>> = {
  'local-officer': 'Sam Okafor',
  'local-admin': 'Priya Shah',
  'local-tenancy': 'Chris Doyle',
  'officer-jo': 'Jo Marsh',
  'officer-lee': 'Lee Turner',
  'local-olivia.officer': 'Olivia Officer',
  'local-tom.tenancy': 'Tom Tenancy',
  'local-ada.admin': 'Ada Admin',
};

const schema = z.record(z.string().trim().min(1).max(128), z.string().trim().min(1).max(200));

export function staffDirectory(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string>> {
  const raw = env.SC_STAFF_DIRECTORY;
  if (raw === undefined || raw.trim() === '') return demoStaff;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigurationError('SC_STAFF_DIRECTORY is not valid JSON: give an object like {"subject-id": "Full Name"}');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new ConfigurationError('SC_STAFF_DIRECTORY must be an object of staff ids to names, like {"subject-id": "Full Name"}');
  return result.data;
}

/** A person's name, or the id itself when the directory does not know it. */
export const staffName = (id: string | undefined, directory = staffDirectory()) => (id === undefined ? 'unknown' : (directory[id] ?? id));

/** The directory as choices, by name. */
export const staffChoices = (directory = staffDirectory()) =>
  Object.entries(directory)
    .map(([value, text]) => ({ value, text }))
    .sort((a, b) => a.text.localeCompare(b.text));
