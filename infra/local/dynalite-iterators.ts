/**
 * The LevelDB iterators dynalite has open, counted: each Query and Scan reads through one
 * (abstract-level's, as dynalite loads it: dynalite → level → classic-level → abstract-level),
 * and an iterator left open keeps LevelDB's memory it read from (its memtables and table
 * files) alive until the database closes. The soak prints the count beside rss; a test holds
 * it bounded.
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

const counted = new WeakSet<Resource>();
let open = 0;
const marker = Symbol.for('safer-communities.dynalite-iterators.counted');
const levelPrototype = abstractLevel.AbstractLevel.prototype as AbstractLevelModule['AbstractLevel']['prototype'] & { [marker]?: true };
if (!levelPrototype[marker]) {
  levelPrototype[marker] = true;
  const { attachResource, detachResource } = levelPrototype;
  levelPrototype.attachResource = function (this: unknown, resource: Resource) {
    attachResource.call(this, resource);
    if (isIterator(resource) && !counted.has(resource)) {
      counted.add(resource);
      open += 1;
    }
  };
  levelPrototype.detachResource = function (this: unknown, resource: Resource) {
    detachResource.call(this, resource);
    if (counted.delete(resource)) open -= 1;
  };
}

/**
 * LevelDB iterators opened in this process (by dynalite: nothing else here uses abstract-level)
 * and not closed yet. Closing a database closes and uncounts its iterators.
 */
export function openDynaliteIterators(): number {
  return open;
}
