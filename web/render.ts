import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import nunjucks from 'nunjucks';
import { currentCsrfToken } from '#shared/csrf';
import type { HttpResult } from '#shared/http';
import assetPaths from './generated/asset-paths.js';
import { site } from './site.ts';
import { loadedTemplate } from './template-groups.ts';

/**
 * Templates come precompiled from web/generated/templates/<group>.js (see web/build.ts): no
 * file system at run time, the same code locally and in a Lambda bundle. This module loads
 * no group: the module that renders a template imports its group (web/template-groups.ts),
 * so a function's bundle carries only the templates it renders, and asking for one of a
 * group it did not import is an error that names the group. Pages carry only the assets'
 * hashed names (asset-paths.js), not their bodies. Relative imports inside govuk-frontend
 * (`./macros/attributes.njk`) resolve against the importing template's name.
 */
const loader = {
  getSource(name: string) {
    return { src: { type: 'code', obj: loadedTemplate(name) }, path: name, noCache: false };
  },
  isRelative: (name: string) => name.startsWith('./') || name.startsWith('../'),
  resolve: (from: string, to: string) => posix.join(posix.dirname(from), to),
};

/** Public URL of a static asset, content-hashed: `asset('app.css')` → `/assets/app.3f2a….css`. */
export function asset(file: string): string {
  const found = assetPaths[file];
  if (!found) throw new Error(`no asset ${file}: add it under web/assets (npm run build:web rebuilds)`);
  return `/assets/${found}`;
}

// autoescape: every {{ value }} is HTML-escaped unless a template says `| safe` on purpose.
const env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, { autoescape: true, throwOnUndefined: false });
env.addGlobal('asset', asset);
env.addGlobal('site', site);
// The signed-in session's CSRF token (empty without one): partials/csrf.njk puts it in every staff form.
env.addGlobal('csrfToken', currentCsrfToken);

export interface PageOptions {
  status?: number;
  /** Origins a form on the page may post to besides this site (e.g. the S3 upload endpoint). */
  formActions?: readonly string[];
  /** Origins the page may show images from besides this site (e.g. short-lived S3 links to photos). */
  imageSources?: readonly string[];
  /** `'sha256-…'` sources for `<style>` blocks the page carries (a standalone document's own CSS). */
  styleHashes?: readonly string[];
  headers?: Record<string, string>;
}

/** Renders one template with the page context; for tests and for pages built in pieces. */
export function render(template: string, context: Record<string, unknown> = {}): string {
  loadedTemplate(template); // the missing group's error as it is, not wrapped in nunjucks' "Template render error"
  return env.render(template, context);
}

function contentSecurityPolicy(nonce: string, formActions: readonly string[], imageSources: readonly string[], styleHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    `img-src 'self' data:${imageSources.map((o) => ` ${o}`).join('')}`,
    `style-src 'self'${styleHashes.map((h) => ` ${h}`).join('')}`,
    // govuk-frontend's template has one inline script (it marks the body js-enabled): the nonce lets only it run.
    `script-src 'self' 'nonce-${nonce}'`,
    `form-action 'self'${formActions.map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * An HTML page: `template` (a name under web/templates, e.g. `report/form.njk`) rendered with
 * `context`, the layout's globals (`site`, `asset`) and a fresh CSP nonce.
 */
export function page(template: string, context: Record<string, unknown> = {}, options: PageOptions = {}): HttpResult {
  const nonce = randomBytes(16).toString('base64');
  return htmlResult(render(template, { ...context, cspNonce: nonce }), nonce, options);
}

/**
 * A whole document rendered without the layout (a standalone report that carries its own
 * CSS): the same headers as `page`, and a CSP that runs no script at all.
 */
export function documentPage(body: string, options: PageOptions = {}): HttpResult {
  return htmlResult(body, randomBytes(16).toString('base64'), options);
}

function htmlResult(body: string, nonce: string, options: PageOptions): HttpResult {
  return {
    statusCode: options.status ?? 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(nonce, options.formActions ?? [], options.imageSources ?? [], options.styleHashes ?? []),
      'cache-control': 'no-store',
      ...options.headers,
    },
    body,
  };
}
