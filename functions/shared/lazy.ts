/**
 * A value made on first use and kept: for things a module would otherwise build at load
 * (Intl formatters, whose first construction loads ICU's locale data) that not every request
 * needs. On Lambda, work a request always needs gains nothing from this: it only moves from
 * init to the first request (docs/benchmarks.md, "What runs at module load").
 */
export function lazy<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
