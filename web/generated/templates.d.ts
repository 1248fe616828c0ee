// Types for the module web/build.ts generates.
declare const templates: Record<string, { root: (...args: unknown[]) => void; [block: string]: (...args: unknown[]) => void }>;
export default templates;
