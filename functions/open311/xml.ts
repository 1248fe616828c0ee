/**
 * The little XML Open311 needs: elements and text, no attributes. Lists become repeated
 * child elements named by `itemNames` (services → service, …). Text is escaped, and
 * characters XML 1.0 cannot carry at all (most control characters, lone surrogates) become
 * U+FFFD, so whatever the public typed, the document stays well-formed.
 */
export type XmlValue = string | number | boolean | null | undefined | readonly XmlValue[] | { readonly [key: string]: XmlValue };

const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXmlText(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // A parser turns a raw CR into LF; a character reference keeps it.
    .replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function render(name: string, value: XmlValue, itemNames: Readonly<Record<string, string>>): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === undefined) return '';
  if (value === null) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = itemNames[name];
    if (!item) throw new Error(`no item element name for the list ${name}`);
    return `<${name}>${value.map((v: XmlValue) => render(item, v, itemNames)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, XmlValue>)
      .map(([k, v]) => render(k, v, itemNames))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXmlText(String(value))}</${name}>`;
}

export function toXml(root: string, value: XmlValue, itemNames: Readonly<Record<string, string>> = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${render(root, value, itemNames)}`;
}
