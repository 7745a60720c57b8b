import { describe, expect, test } from 'vitest';
import { escapeHtml, escapeXmlAttr, escapeXmlText, replaceForbiddenChars } from '../../../reports/escape.js';
import { mdCode, mdCodeBlock, mdLine, mdText } from '../../../reports/markdown-escape.js';
import { NASTY } from '../../support/sample-report.js';
import { parseXml } from './xml-check.js';

describe('reports: escaping', () => {
  test('XML text escapes the five markup characters', () => {
    expect(escapeXmlText(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  test('characters XML 1.0 forbids become U+FFFD; tab, LF, CR and astral characters stay', () => {
    expect(replaceForbiddenChars('a\u0000b\u0008c\u001fd\ud800e\udfffx\ufffe\uffff')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdx\ufffd\ufffd');
    expect(replaceForbiddenChars('t\tn\nr\r 😀 \ud7ff')).toBe('t\tn\nr\r 😀 \ud7ff');
  });

  test('attribute values keep line breaks and tabs as character references', () => {
    expect(escapeXmlAttr('a\nb\tc\rd')).toBe('a&#10;b&#9;c&#13;d');
  });

  test('nasty text round-trips through an XML attribute and text, minus forbidden characters', () => {
    const doc = `<r a="${escapeXmlAttr(NASTY)}">${escapeXmlText(NASTY)}</r>`;
    const root = parseXml(doc);
    expect(root.attrs.a).toBe(replaceForbiddenChars(NASTY));
    expect(root.text).toBe(replaceForbiddenChars(NASTY));
  });

  test('HTML escaping leaves no markup and uses &#39; for quotes', () => {
    const html = escapeHtml(NASTY);
    expect(html).not.toMatch(/[<>"']/);
    expect(html).toContain('&#39;q&#39;');
  });

  test('Markdown text cannot break a table, start a block or inject HTML', () => {
    expect(mdText('a | b')).toBe('a \\| b');
    expect(mdText('<b>x</b> & y')).toBe('&lt;b&gt;x&lt;/b&gt; &amp; y');
    expect(mdText('12.4s')).toBe('12.4s');
    expect(mdLine('# title')).toBe('\\# title');
    expect(mdLine('- item')).toBe('\\- item');
    expect(mdLine('> quote')).toBe('&gt; quote');
    expect(mdLine('1. first')).toBe('1\\. first');
    expect(mdLine('12) first')).toBe('12\\) first');
    expect(mdText('*em* _u_ `c` [l](x) ~s~')).toBe('\\*em\\* \\_u\\_ \\`c\\` \\[l\\](x) \\~s\\~');
    expect(mdText('one\ntwo\r\nthree')).toBe('one two three');
  });

  test('Markdown code spans outlast backticks inside and escape pipes in tables', () => {
    expect(mdCode('a`b')).toBe('``a`b``');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b', true)).toBe('`a\\|b`');
    expect(mdCode('a|b')).toBe('`a|b`');
  });

  test('Markdown code blocks use a fence longer than any backtick run inside', () => {
    expect(mdCodeBlock('echo ```', 'sh')).toBe('````sh\necho ```\n````');
    expect(mdCodeBlock('ls')).toBe('```\nls\n```');
  });
});
