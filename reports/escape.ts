/**
 * Escaping for every renderer. Report text comes from scenarios and simulation messages (user input), so
 * nothing reaches XML or HTML without passing through here.
 */

/**
 * Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE, U+FFFF).
 * With the `u` flag a lone surrogate is one code point outside the allowed ranges, so it matches too.
 */
const XML_FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Replacement for a forbidden character: visible, and itself allowed everywhere. */
export const REPLACEMENT_CHAR = '\uFFFD';

/** Replaces characters XML 1.0 (and HTML) forbid with U+FFFD; everything else is kept. */
export function replaceForbiddenChars(text: string): string {
  return text.replace(XML_FORBIDDEN, REPLACEMENT_CHAR);
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text content for XML: markup characters become entities, forbidden characters U+FFFD. */
export function escapeXmlText(text: string): string {
  return replaceForbiddenChars(text).replace(/[&<>"']/g, (c) => TEXT_ENTITIES[c] ?? c);
}

const ATTR_WHITESPACE: Record<string, string> = { '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

/**
 * Escapes an attribute value (to be put in double quotes). Tabs and line breaks become character
 * references, because attribute-value normalization would otherwise turn them into spaces.
 */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replace(/[\t\n\r]/g, (c) => ATTR_WHITESPACE[c] ?? c);
}

/**
 * Escapes text for HTML element content and double- or single-quoted attributes. `&#39;` instead of
 * `&apos;`, which HTML 4 readers do not know.
 */
export function escapeHtml(text: string): string {
  return escapeXmlText(text).replace(/&apos;/g, '&#39;');
}
