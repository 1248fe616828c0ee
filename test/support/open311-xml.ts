/**
 * A strict reader for the XML our Open311 endpoints write (elements and text, no attributes):
 * it throws on anything a conforming parser would reject — a raw `<` or `&` in text, an
 * unknown entity, a character XML 1.0 forbids, mismatched tags, content after the root — so
 * a test that reads a document also proves it is well-formed.
 */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  /** The element's own text, entities decoded. */
  readonly text: string;
}

const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const FORBIDDEN_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(doc: string): XmlElement {
  if (FORBIDDEN_CHAR.test(doc)) throw new Error('the document holds a character XML 1.0 forbids');
  const text = doc.replace(/\r\n?/g, '\n');
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML not well-formed at ${i}: ${why}`);
  };
  const skipSpace = () => {
    while (i < text.length && /[ \t\n]/.test(text[i] ?? '')) i += 1;
  };
  const readName = () => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };
  const readReference = () => {
    const end = text.indexOf(';', i);
    if (end < 0 || end - i > 12) return fail('unterminated entity');
    const ref = text.slice(i + 1, end);
    i = end + 1;
    if (ref.startsWith('#x')) {
      if (!/^#x[0-9a-fA-F]+$/.test(ref)) fail('bad character reference');
      return String.fromCodePoint(parseInt(ref.slice(2), 16));
    }
    if (ref.startsWith('#')) {
      if (!/^#[0-9]+$/.test(ref)) fail('bad character reference');
      return String.fromCodePoint(parseInt(ref.slice(1), 10));
    }
    const value = ENTITIES[ref];
    if (value === undefined) return fail(`unknown entity &${ref};`);
    return value;
  };
  const readElement = (): XmlElement => {
    if (text[i] !== '<') fail('expected <');
    i += 1;
    const name = readName();
    skipSpace();
    if (text.startsWith('/>', i)) {
      i += 2;
      return { name, children: [], text: '' };
    }
    if (text[i] !== '>') fail(`attributes or junk in <${name}>`);
    i += 1;
    const children: XmlElement[] = [];
    let own = '';
    for (;;) {
      if (i >= text.length) fail(`<${name}> is never closed`);
      const c = text[i];
      if (text.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (text[i] !== '>') fail('expected >');
        i += 1;
        return { name, children, text: own };
      }
      if (c === '<') children.push(readElement());
      else if (c === '&') own += readReference();
      else if (c === '>' && text.startsWith(']]>', i - 2)) fail(']]> in text');
      else {
        own += c;
        i += 1;
      }
    }
  };

  skipSpace();
  if (text.startsWith('<?xml', i)) {
    const end = text.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipSpace();
  const root = readElement();
  skipSpace();
  if (i !== text.length) fail('content after the root element');
  return root;
}

/** The children named `name`. */
export const kids = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);

/** The text of the one child named `name` (throws if there is not exactly one). */
export function textOf(el: XmlElement, name: string): string {
  const found = kids(el, name);
  if (found.length !== 1) throw new Error(`<${el.name}> has ${found.length} <${name}> children`);
  return (found[0] as XmlElement).text;
}
