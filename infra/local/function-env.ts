import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Each function's own environment, although every function runs in this one process.
 *
 * On Lambda a function sees only the variables its configuration sets, so reading a table or
 * bucket it was not granted fails there. Here `process.env` is shared, so it is replaced once
 * by a view that, while a function runs (its module's first import included), answers the
 * resource variables from that function's own environment: one it was not granted reads as
 * unset, and the missing grant fails locally rather than first on AWS. Every other variable
 * (region, endpoints, credentials, Powertools settings) stays shared, and code outside any
 * function (the stack itself, tests, tools) sees the process environment as it is.
 */

interface FunctionEnv {
  readonly name: string;
  /** The function's own resource variables: what it writes to one stays its own, as on Lambda. */
  readonly variables: Record<string, string>;
}

const current = new AsyncLocalStorage<FunctionEnv>();
/** The variables a function only sees when granted; the rest are the process's. */
const scoped = new Set<string>();
let installed = false;

const isScoped = (key: string | symbol): key is string => typeof key === 'string' && scoped.has(key);

/** The environment a function sees: the process's, with resource variables from its own. */
function functionView(real: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return new Proxy(real, {
    // The SDK and Powertools read shared variables (the region, their settings) many times an
    // invocation: those are answered without asking which function is running.
    get(target, key) {
      const fn = isScoped(key) ? current.getStore() : undefined;
      if (fn) return Object.hasOwn(fn.variables, key) ? fn.variables[key as string] : undefined;
      return Reflect.get(target, key);
    },
    has(target, key) {
      const fn = isScoped(key) ? current.getStore() : undefined;
      if (fn) return Object.hasOwn(fn.variables, key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      const fn = current.getStore();
      const keys = Reflect.ownKeys(target);
      if (!fn) return keys;
      const own = keys.filter((key) => !isScoped(key));
      return [...own, ...Object.keys(fn.variables).filter((key) => scoped.has(key))];
    },
    // The real environment takes only plain assignments (a full data descriptor): never pass the
    // proxy on as the receiver, or an assignment to an existing variable becomes a partial define.
    set(target, key, value) {
      const fn = current.getStore();
      if (fn && isScoped(key)) fn.variables[key] = String(value);
      else Reflect.set(target, key, value);
      return true;
    },
    deleteProperty(target, key) {
      const fn = current.getStore();
      if (fn && isScoped(key)) delete fn.variables[key];
      else Reflect.deleteProperty(target, key);
      return true;
    },
    getOwnPropertyDescriptor(target, key) {
      const fn = current.getStore();
      if (!fn || !isScoped(key)) return Reflect.getOwnPropertyDescriptor(target, key);
      if (!Object.hasOwn(fn.variables, key)) return undefined;
      return { value: fn.variables[key], writable: true, enumerable: true, configurable: true };
    },
  });
}

/**
 * Makes the given variables per function from now on. Idempotent: stacks started one after
 * another in a process (tests) share the one view.
 */
export function scopeVariables(names: Iterable<string>): void {
  for (const name of names) scoped.add(name);
  if (installed) return;
  process.env = functionView(process.env);
  installed = true;
}

/**
 * Runs `work` (and everything it starts) as the named function, seeing `variables` as its
 * resource variables. Pass the same object on each call: it is that function's environment.
 */
export function runAsFunction<T>(name: string, variables: Record<string, string>, work: () => T): T {
  return current.run({ name, variables }, work);
}


/** The function running now (its module's load included), or undefined outside any function. */
export const currentFunctionName = (): string | undefined => current.getStore()?.name;
