/**
 * Text from outside (a CSV cell, a path segment, an API's answer) shown back to a person, in a
 * terminal or a message: C0 and C1 control characters and the bidirectional overrides could
 * move the cursor, rewrite the screen, set a terminal's title or reorder what is read, so each
 * is written as a visible escape (`\x1B`, `\u202E`) instead. Everything else is kept.
 */
const controls = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escapeOf = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
};

export const printable = (text: string): string => text.replace(controls, escapeOf);
