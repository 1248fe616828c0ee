import { declareCapability, declareFunction } from '#shared/wiring';

export const staticAssets = declareFunction({
  name: 'StaticAssets',
  entry: 'web/assets-function.ts',
  description: 'CSS, JavaScript and icons of the web pages, with long cache lifetimes',
  routes: [{ method: 'GET', path: '/assets/{proxy+}', auth: 'public' }],
  memoryMb: 256,
});

export const notFound = declareFunction({
  name: 'NotFound',
  entry: 'web/not-found.ts',
  description: 'Anything no route matches: a page not found page, or the JSON error for scripts',
  routes: [{ method: 'ANY', path: '$default', auth: 'public', page: true }],
  memoryMb: 256,
});

export const web = declareCapability('web', [staticAssets, notFound]);
