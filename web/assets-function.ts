import { NotFoundError } from '#shared/errors';
import { httpApi, type HttpResult } from '#shared/http';
import assets from './generated/assets.js';
import { staticAssets } from './capability.ts';

const YEAR = 365 * 24 * 3600;

/** `app.3f2a….css` and `app.css` both name the asset `app.css`; only the hashed name is immutable. */
const byPath = new Map(
  Object.entries(assets).flatMap(([file, a]) => [
    [a.path, { ...a, cache: `public, max-age=${YEAR}, immutable` }],
    [file, { ...a, cache: 'public, max-age=300' }],
  ]),
);

/** The static assets of our pages (web/assets, built into web/generated/assets.js). */
export const handler = httpApi(staticAssets, {
  'GET /assets/{proxy+}': async ({ path }): Promise<HttpResult> => {
    const found = byPath.get(path.proxy ?? '');
    if (!found) throw new NotFoundError(`there is no asset ${path.proxy ?? ''}`);
    return {
      statusCode: 200,
      headers: { 'content-type': found.type, 'cache-control': found.cache },
      body: found.body,
      isBase64Encoded: found.encoding === 'base64',
    };
  },
});
