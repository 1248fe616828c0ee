// Types for the module web/build.ts generates.
declare const assets: Record<string, { path: string; type: string; encoding: 'utf8' | 'base64'; body: string }>;
export default assets;
