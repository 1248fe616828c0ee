import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXmlText, toXml } from '../../functions/open311/xml.ts';
import { respond, respondErrors, splitFormat } from '../../functions/open311/format.ts';
import { kids, parseXml, textOf } from '../support/open311-xml.ts';

/** What a string becomes once it has been through XML: forbidden characters as U+FFFD. */
const asXmlCarries = (s: string) => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

/** Text weighted towards what breaks XML: markup, entities, control characters, lone surrogates. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom('<', '>', '&', '"', "'", '\r', '\r\n', '\u0000', '\u001f', '\u007f', '\uD800', '\uDFFF', '\uFFFE', '😀', ']]>', '&amp;', '<![CDATA[', '=1+1'),
      fc.string({ maxLength: 6 }),
      fc.integer({ min: 0, max: 0x10ffff }).map((cp) => (cp >= 0xd800 && cp <= 0xdfff ? String.fromCharCode(cp) : String.fromCodePoint(cp))),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('unit: Open311 XML writer', () => {
  it('escapes markup characters so text cannot open an element or an entity', () => {
    expect(escapeXmlText(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;');
    expect(escapeXmlText('&amp;')).toBe('&amp;amp;');
  });

  it('replaces characters XML 1.0 cannot carry and keeps a carriage return', () => {
    expect(escapeXmlText('a\u0000b\u001Fc\uFFFEd\uD800e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeXmlText('line\r\nnext')).toBe('line&#13;\nnext');
    expect(escapeXmlText('emoji 😀 and tab\t')).toBe('emoji 😀 and tab\t');
  });

  it('writes lists as repeated item elements, skips undefined and writes null as an empty element', () => {
    const xml = toXml('services', [{ service_code: 'a', metadata: true, group: undefined, notes: null }], { services: 'service' });
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?>\n<services><service><service_code>a</service_code><metadata>true</metadata><notes/></service></services>');
  });

  it('round-trips any text through a strict XML reader (property)', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const doc = respond('xml', 200, 'service_requests', [{ description: s }]).body ?? '';
        const root = parseXml(doc);
        expect(textOf(kids(root, 'request')[0] ?? root, 'description')).toBe(asXmlCarries(s));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses documents a real parser would refuse, so the reader is a fair judge', () => {
    expect(() => parseXml('<a>x & y</a>')).toThrow();
    expect(() => parseXml('<a><b></a>')).toThrow();
    expect(() => parseXml('<a>1</a><b/>')).toThrow();
    expect(() => parseXml('<a>\u0001</a>')).toThrow();
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow();
    expect(parseXml('<a>&lt;&#65;&#x42;</a>').text).toBe('<AB');
  });
});

describe('unit: Open311 formats and errors', () => {
  it('reads the format from the file name, keeping dots in service codes', () => {
    expect(splitFormat('services.json')).toEqual({ name: 'services', format: 'json' });
    expect(splitFormat('enviro.fly-tipping.XML')).toEqual({ name: 'enviro.fly-tipping', format: 'xml' });
    expect(splitFormat('services.html')).toBeUndefined();
    expect(splitFormat('.json')).toBeUndefined();
    expect(splitFormat(undefined)).toBeUndefined();
  });

  it("writes errors in the spec's shape in both formats", () => {
    const json = respondErrors('json', 400, [{ code: 400, description: 'service_code: <unknown>' }]);
    expect(json.statusCode).toBe(400);
    expect(JSON.parse(json.body ?? '')).toEqual([{ code: 400, description: 'service_code: <unknown>' }]);
    const xml = respondErrors('xml', 403, [{ code: 403, description: 'api_key & more' }]);
    expect(xml.headers?.['content-type']).toMatch(/^text\/xml/);
    const root = parseXml(xml.body ?? '');
    expect(root.name).toBe('errors');
    const [error] = kids(root, 'error');
    expect(error && [textOf(error, 'code'), textOf(error, 'description')]).toEqual(['403', 'api_key & more']);
  });
});
