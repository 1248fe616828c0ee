import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../scripts/progress.ts';

/** A stream that records what is written, seen as a terminal or not. */
function output(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 }) as unknown as NodeJS.WriteStream;
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('unit: command-line progress', () => {
  it('writes a plain line per tenth of the way when the output is not a terminal', () => {
    const out = output(false);
    const report = progressReporter({ unit: 'rows', verb: 'sent', stream: out.stream });
    for (let done = 0; done <= 25; done++) report(done, 25);
    expect(out.text().split('\n').filter(Boolean)).toEqual([
      'sent 0/25 rows (0%)',
      'sent 3/25 rows (10%)',
      'sent 5/25 rows (20%)',
      'sent 8/25 rows (30%)',
      'sent 10/25 rows (40%)',
      'sent 13/25 rows (50%)',
      'sent 15/25 rows (60%)',
      'sent 18/25 rows (70%)',
      'sent 20/25 rows (80%)',
      'sent 23/25 rows (90%)',
      'sent 25/25 rows (100%)',
    ]);
    expect(out.text()).not.toContain('\u001b');
  });

  it('draws a bar in place and ends its line when the output is a terminal', () => {
    const out = output(true);
    const report = progressReporter({ unit: 'rows', verb: 'sent', stream: out.stream });
    for (let done = 0; done <= 4; done++) report(done, 4);
    const text = out.text();
    expect(text).toContain('\u001b['); // redrawn with cursor movements, not new lines
    expect(text).toMatch(/\[=+\] 4\/4 rows 100%/);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });
});
