/**
 * dynalite's LevelDB iterators: closed when a Query or Scan is done with them, and counted.
 *
 * dynalite 4.0.0 reads each Query and Scan through a stream over an abstract-level iterator
 * (as dynalite loads it: dynalite → level → classic-level → abstract-level) and, when the
 * stream is done, closes it by calling `iterator.return()` if there is one
 * (node_modules/dynalite/db/index.js, `createValueStream`). abstract-level 3's iterators have
 * no `return()`, only `close()`, so none was ever closed until the database was: each kept its
 * LevelDB iterator, and with it every memtable (4 MB each, by default) and table file version
 * that iterator could read, alive. The stack's rss grew with every byte written (8.9 GB after
 * a 100,000-event soak, with a 313 MB heap); killing dynalite closed the database and freed it.
 * `closeDynaliteIteratorsWhenDone()` gives the iterators the `return()` dynalite calls.
 * Remove it when dynalite closes its iterators itself (the test in
 * test/integration/dynalite-iterators.test.ts then still passes without it).
 */
import { createRequire } from 'node:module';

interface Resource {
  close(): Promise<void>;
}
interface AbstractLevelModule {
  AbstractLevel: { prototype: { attachResource(resource: Resource): void; detachResource(resource: Resource): void } };
  AbstractIterator: { prototype: object };
}

/** abstract-level as dynalite's database resolves it (there may be more than one copy installed). */
function dynalitesAbstractLevel(): AbstractLevelModule {
  let require = createRequire(import.meta.url);
  for (const name of ['dynalite', 'level', 'classic-level']) require = createRequire(require.resolve(name));
  return require('abstract-level') as AbstractLevelModule;
}

const abstractLevel = dynalitesAbstractLevel();
/**
 * An iterator over the database's entries: LevelDB's own (classic-level's), one per Query or
 * Scan. (The value iterator dynalite asks for wraps one of these and is not counted apart.)
 */
const isIterator = (resource: Resource) => Object.prototype.isPrototypeOf.call(abstractLevel.AbstractIterator.prototype, resource);

/**
 * Each iterator open now, with when it was opened. Holding it here keeps nothing alive that the
 * database does not hold already (it keeps its open resources until they close).
 */
const openedAt = new Map<Resource, number>();
const marker = Symbol.for('safer-communities.dynalite-iterators.counted');
const levelPrototype = abstractLevel.AbstractLevel.prototype as AbstractLevelModule['AbstractLevel']['prototype'] & { [marker]?: true };
if (!levelPrototype[marker]) {
  levelPrototype[marker] = true;
  const { attachResource, detachResource } = levelPrototype;
  levelPrototype.attachResource = function (this: unknown, resource: Resource) {
    attachResource.call(this, resource);
    if (isIterator(resource) && !openedAt.has(resource)) openedAt.set(resource, performance.now());
  };
  levelPrototype.detachResource = function (this: unknown, resource: Resource) {
    detachResource.call(this, resource);
    openedAt.delete(resource);
  };
}

/**
 * Gives abstract-level's iterators (entries, keys and values alike) the `return()` that
 * dynalite's streams call when they end or are destroyed: it closes the iterator. Idempotent;
 * leaves a `return()` alone if abstract-level ever has one of its own.
 */
export function closeDynaliteIteratorsWhenDone(): void {
  const common = Object.getPrototypeOf(abstractLevel.AbstractIterator.prototype) as { return?: () => Promise<void>; close(): Promise<void> };
  if (typeof common.return === 'function') return;
  Object.defineProperty(common, 'return', {
    value: function (this: { close(): Promise<void> }) {
      return this.close();
    },
    configurable: true,
    writable: true,
  });
}

/** The LevelDB iterators open, and how long the oldest of them has been (0 when none is). */
export interface OpenIterators {
  open: number;
  oldestSeconds: number;
}

/**
 * LevelDB iterators opened in this process (by dynalite: nothing else here uses abstract-level)
 * and not closed yet. Closing a database closes and uncounts its iterators. One of a Query or
 * Scan under way lives for as long as that page takes to read; one left open grows old, so the
 * age tells a read under way (the TTL sweeper's, the scheduler's) from a leak.
 */
export function openDynaliteIterators(): OpenIterators {
  const now = performance.now();
  let oldest = now;
  for (const at of openedAt.values()) oldest = Math.min(oldest, at);
  return { open: openedAt.size, oldestSeconds: Math.round((now - oldest) / 100) / 10 };
}
