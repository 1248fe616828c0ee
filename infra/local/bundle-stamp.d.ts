/** What a build of `npm start`'s bundle was made from (bundle-stamp.js). */
export interface Stamp {
  /** The repository it was built in (module URLs are written into the bundle). */
  root: string;
  /** Every source file, relative to the root, and the hash of its contents (hashOf). */
  files: Record<string, string>;
  /** Folders whose files are inputs (web/templates, web/assets), with their names, sorted. */
  folders: Record<string, string[]>;
}
export declare const BUNDLE_DIR: string;
export declare const CURRENT_FILE: string;
export declare const BUNDLE_ENTRY: string;
export declare const BUNDLE_DYNALITE_WORKER: string;
export declare function hashOf(data: Uint8Array | string): string;
export declare function currentBundle(root: string): string | undefined;
