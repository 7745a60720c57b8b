/**
 * A tiny, strict XML 1.0 well-formedness checker for tests (no dependency): declaration, comments, one
 * root element, matched tags, unique quoted attributes, valid entity and character references, and only
 * characters XML 1.0 allows. Returns the element tree with entities decoded; throws on the first problem.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Decoded text directly inside this element (children's text excluded). */
  text: string;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === ':';
}

function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9') || c === '-' || c === '.';
}

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw new Error(`XML not well-formed at ${this.pos}: ${msg} near ${JSON.stringify(this.src.slice(this.pos, this.pos + 30))}`);
  }

  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  expect(s: string): void {
    if (!this.startsWith(s)) this.fail(`expected ${JSON.stringify(s)}`);
    this.pos += s.length;
  }

  skipSpace(): void {
    while (this.pos < this.src.length && ' \t\r\n'.includes(this.src[this.pos] as string)) this.pos++;
  }

  skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (!this.startsWith('<!--')) return;
      const end = this.src.indexOf('-->', this.pos + 4);
      if (end < 0) this.fail('unterminated comment');
      this.pos = end + 3;
    }
  }

  name(): string {
    const start = this.pos;
    if (!isNameStart(this.src[this.pos] ?? '')) this.fail('expected a name');
    while (isNameChar(this.src[this.pos] ?? '')) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** Decodes a reference starting at `&`. */
  reference(): string {
    const end = this.src.indexOf(';', this.pos);
    if (end < 0 || end - this.pos > 12) this.fail('bad reference');
    const body = this.src.slice(this.pos + 1, end);
    this.pos = end + 1;
    if (body in NAMED) return NAMED[body] as string;
    const m = body.startsWith('#x') ? parseInt(body.slice(2), 16) : body.startsWith('#') ? parseInt(body.slice(1), 10) : NaN;
    if (!Number.isInteger(m) || !isXmlChar(m)) this.fail(`bad reference &${body};`);
    return String.fromCodePoint(m);
  }

  attrValue(): string {
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('attribute value must be quoted');
    this.pos++;
    let value = '';
    while (this.src[this.pos] !== quote) {
      const c = this.src[this.pos];
      if (c === undefined) this.fail('unterminated attribute');
      if (c === '<') this.fail('< in attribute value');
      if (c === '&') value += this.reference();
      else { value += c; this.pos++; }
    }
    this.pos++;
    return value;
  }

  element(): XmlElement {
    this.expect('<');
    const el: XmlElement = { name: this.name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const hadSpace = ' \t\r\n'.includes(this.src[this.pos] ?? 'x');
      this.skipSpace();
      if (this.startsWith('/>')) { this.pos += 2; return el; }
      if (this.startsWith('>')) { this.pos++; break; }
      if (!hadSpace) this.fail('expected space before attribute');
      const key = this.name();
      if (key in el.attrs) this.fail(`duplicate attribute ${key}`);
      this.skipSpace(); this.expect('='); this.skipSpace();
      el.attrs[key] = this.attrValue();
    }
    this.content(el);
    this.expect(`</${el.name}`);
    this.skipSpace();
    this.expect('>');
    return el;
  }

  content(el: XmlElement): void {
    for (;;) {
      if (this.pos >= this.src.length) this.fail(`unclosed <${el.name}>`);
      if (this.startsWith('</')) return;
      if (this.startsWith('<!--')) { this.skipMisc(); continue; }
      if (this.startsWith('<')) { el.children.push(this.element()); continue; }
      if (this.startsWith(']]>')) this.fail(']]> in text');
      if (this.startsWith('&')) { el.text += this.reference(); continue; }
      el.text += this.src[this.pos];
      this.pos++;
    }
  }
}

/** Parses `xml`, throwing a descriptive error if it is not well-formed XML 1.0. */
export function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    const cp = ch.codePointAt(0) as number;
    if (!isXmlChar(cp)) throw new Error(`XML not well-formed: forbidden character U+${cp.toString(16).toUpperCase()}`);
  }
  const p = new Parser(xml);
  if (p.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) p.fail('unterminated declaration');
    p.pos = end + 2;
  }
  p.skipMisc();
  const root = p.element();
  p.skipMisc();
  if (p.pos !== xml.length) p.fail('content after the root element');
  return root;
}

/** Every element named `name` in the tree, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const found = el.name === name ? [el] : [];
  return found.concat(...el.children.map((c) => findAll(c, name)));
}
