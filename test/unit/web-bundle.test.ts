import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The pages must run from a Lambda bundle: one ES module built as CDK's NodejsFunction builds
 * it (infra/cdk/function-defaults.ts), loaded from a directory with no node_modules and no
 * templates beside it.
 */
const banner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const event = (routeKey: string, rawPath: string, pathParameters?: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { host: 'example.test' },
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: { http: { method: 'GET', path: rawPath, sourceIp: '192.0.2.1', protocol: 'HTTP/1.1', userAgent: 'test' }, routeKey, domainName: 'example.test' },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

describe('unit: web pages from a Lambda bundle', () => {
  let dir: string;
  const bundle = async (entry: string, name: string): Promise<Handler> => {
    const outfile = join(dir, `${name}.mjs`);
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node22', minify: true, mainFields: ['module', 'main'], banner: { js: banner }, outfile, logLevel: 'silent' });
    return ((await import(pathToFileURL(outfile).href)) as { handler: Handler }).handler;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-bundle-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    Object.assign(process.env, { TABLE_NAME: 'main', INTAKE_BUCKET: 'intake', EVENT_BUS_NAME: 'bus' });
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the report form and the accessibility statement from the bundled templates', async () => {
    const handler = await bundle('functions/intake/receive-report.ts', 'report-intake');
    const form = await handler(event('GET /', '/'), context);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('What happened?');
    expect(form.body).toContain('Fly-tipping');
    const statement = await handler(event('GET /accessibility', '/accessibility'), context);
    expect(statement.body).toContain('Accessibility statement for Report anti-social behaviour');
  }, 120_000);

  it('serves the stylesheet and script from the bundled assets', async () => {
    const handler = await bundle('web/assets-function.ts', 'static-assets');
    const css = await handler(event('GET /assets/{proxy+}', '/assets/app.css', { proxy: 'app.css' }), context);
    expect(css.statusCode).toBe(200);
    expect(css.body).toContain('--sc-font-family');
    const js = await handler(event('GET /assets/{proxy+}', '/assets/app.js', { proxy: 'app.js' }), context);
    expect(js.body).toContain('data-sc-locate');
  }, 120_000);
});
