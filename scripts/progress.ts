/**
 * Progress of a long command-line job, on stderr so stdout keeps only its results.
 * On a terminal: a bar redrawn in place (cli-progress). Into a file or a pipe (CI, logs),
 * where a redrawn bar is either silent or garbage: a plain line per tenth of the way, so a
 * log shows progress without a line per item.
 */
import cliProgress from 'cli-progress';

export interface ProgressOptions {
  /** What is counted, plural: `rows`. */
  readonly unit: string;
  /** What is done to each, past tense: `sent`. */
  readonly verb: string;
  readonly stream?: NodeJS.WriteStream;
}

/** A callback for `(done, total)` reports; the bar starts on the first and ends when done reaches total. */
export function progressReporter({ unit, verb, stream = process.stderr }: ProgressOptions): (done: number, total: number) => void {
  if (!stream.isTTY) {
    let lastTenth = -1;
    return (done, total) => {
      const tenth = Math.floor((total === 0 ? 1 : done / total) * 10);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${verb} ${done}/${total} ${unit} (${tenth * 10}%)\n`);
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `[{bar}] {value}/{total} ${unit} {percentage}% | ETA {eta_formatted}`, barsize: 30, etaBuffer: 50 },
    cliProgress.Presets.legacy,
  );
  let started = false;
  return (done, total) => {
    if (!started) {
      started = true;
      bar.start(total, done);
    } else bar.update(done);
    if (done >= total) bar.stop();
  };
}
