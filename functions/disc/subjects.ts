import { createHmac } from 'node:crypto';
import type { DiscSubject } from './incident.ts';

/**
 * Named people in a DISC incident become opaque subjectRefs: a keyed HMAC of DISC's subject id
 * (or, without one, of the normalised name), so the same person gets the same ref across
 * incidents while the ref reveals nothing without the subject key, which only we hold (it is
 * not the webhook secret DISC shares). Names never reach an event, a log or a stored item.
 */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\s'-]/gu, ' ')
    .replace(/['-]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function subjectRef(subjectKey: string, subject: DiscSubject): string {
  const basis = subject.discSubjectId !== undefined ? `disc-id:${subject.discSubjectId}` : `name:${normaliseName(subject.name ?? '')}`;
  return `sr_${createHmac('sha256', subjectKey).update(basis).digest('base64url').slice(0, 22)}`;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces each subject's name in free text with its ref: the whole name first, then each
 * part of three letters or more on its own ("Smith", "John"), as whole words, ignoring case.
 * Over-redacting a common word is the lesser harm.
 */
export function redactNames(text: string, subjects: readonly { name?: string; ref: string }[]): string {
  const replacements = subjects
    .flatMap((s) => {
      if (!s.name) return [];
      const whole = s.name.normalize('NFKC').trim().replace(/\s+/g, ' ');
      const parts = whole.split(' ').filter((p) => [...p.replace(/[^\p{L}]/gu, '')].length >= 3);
      return [whole, ...parts].map((term) => ({ term, ref: s.ref }));
    })
    .filter((r) => r.term.length > 0)
    // Longest first, so "John Smith" is replaced before "John".
    .sort((a, b) => b.term.length - a.term.length);
  if (replacements.length === 0) return text;
  // One pass over the text, so a ref put in is never searched again.
  const refOf = new Map<string, string>();
  for (const { term, ref } of replacements) {
    const key = term.toLocaleLowerCase();
    if (!refOf.has(key)) refOf.set(key, ref);
  }
  const alternatives = [...refOf.keys()].map((term) => escapeRegExp(term).replace(/ /g, '\\s+'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return text.normalize('NFKC').replace(pattern, (match) => `[${refOf.get(match.replace(/\s+/g, ' ').toLocaleLowerCase()) ?? 'sr_redacted'}]`);
}
