/**
 * The soak's memory figures: where the stack process's resident memory is. V8's heap, what is
 * held outside it by JS objects (Buffers, ArrayBuffers), the kernel's split of rss into
 * anonymous memory (malloc: LevelDB, V8, Node) and file pages mapped in (LevelDB maps its table
 * files), and the LevelDB iterators dynalite has open. `memorySampler` writes them to a CSV
 * every few seconds, so growth can be set against the events delivered.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { OpenIterators } from '#infra/local/dynalite-iterators';

export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  /** V8's heap as committed (heap used plus free space V8 keeps in its pages): rss, unlike heap used. */
  heapTotalMb: number;
  /** Memory of C++ objects bound to JS ones (Buffers' and ArrayBuffers' contents among them). */
  externalMb: number;
  arrayBuffersMb: number;
  /** rss split by the kernel (/proc/self/status; undefined off Linux). */
  rssAnonMb?: number;
  rssFileMb?: number;
  openLevelIterators: number;
  /**
   * How long the oldest of them has been open, in seconds (0: none is). A Query or Scan under way
   * (the TTL sweeper's, the scheduler's) holds one for as long as its page takes; a leaked one ages.
   */
  oldestLevelIteratorSeconds: number;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** RssAnon and RssFile from /proc/self/status, in MB. */
function kernelRss(): { rssAnonMb?: number; rssFileMb?: number } {
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return {};
  }
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  };
  const anon = kb('RssAnon');
  const file = kb('RssFile');
  return { ...(anon !== undefined ? { rssAnonMb: anon } : {}), ...(file !== undefined ? { rssFileMb: file } : {}) };
}

/** This process's memory; the iterators from the stack's dynalite, in whichever thread it runs. */
export function memoryFigures(iterators: OpenIterators): MemoryFigures {
  const m = process.memoryUsage();
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
    ...kernelRss(),
    openLevelIterators: iterators.open,
    oldestLevelIteratorSeconds: iterators.oldestSeconds,
  };
}

export const describeMemory = (m: MemoryFigures) =>
  `rss ${m.rssMb} MB (anonymous ${m.rssAnonMb ?? '?'}, file ${m.rssFileMb ?? '?'}), heap used ${m.heapUsedMb} MB (of ${m.heapTotalMb} committed), external ${m.externalMb} MB (array buffers ${m.arrayBuffersMb} MB), open LevelDB iterators ${m.openLevelIterators}${m.openLevelIterators ? ` (the oldest open ${m.oldestLevelIteratorSeconds} s)` : ''}`;

const columns = ['seconds', 'round', 'deliveries', 'rss_mb', 'rss_anon_mb', 'rss_file_mb', 'heap_used_mb', 'heap_total_mb', 'external_mb', 'array_buffers_mb', 'open_level_iterators', 'oldest_level_iterator_s'] as const;

/**
 * Every `everyMs`, a CSV row of the memory figures with the round and the deliveries so far
 * (`where()`), into `file` (overwritten). `stop()` writes a last row and ends the sampling.
 */
export function memorySampler(file: string, everyMs: number, where: () => { round: number; deliveries: number }, openIterators: () => Promise<OpenIterators>) {
  const started = Date.now();
  writeFileSync(file, `${columns.join(',')}\n`);
  const sample = async () => {
    const m = memoryFigures(await openIterators().catch(() => ({ open: Number.NaN, oldestSeconds: Number.NaN })));
    const { round, deliveries } = where();
    const row = [((Date.now() - started) / 1000).toFixed(1), round, deliveries, m.rssMb, m.rssAnonMb ?? '', m.rssFileMb ?? '', m.heapUsedMb, m.heapTotalMb, m.externalMb, m.arrayBuffersMb, m.openLevelIterators, m.oldestLevelIteratorSeconds];
    appendFileSync(file, `${row.join(',')}\n`);
  };
  void sample();
  const timer = setInterval(() => void sample(), everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await sample();
    },
  };
}
