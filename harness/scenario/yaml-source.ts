import { LineCounter, isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { IhasimError, type ErrorDetail } from '../errors.js';

/** A key path into the scenario: map keys and list indexes. */
export type KeyPath = readonly (string | number)[];

/** Renders a key path the way messages show it: `faults[2].target.rack`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** A parsed scenario text: its plain data, and where each key path sits in the file. */
export interface YamlSource {
  readonly data: unknown;
  /** File, line and column of a key path (of its key when `key` is set); the nearest existing ancestor otherwise. */
  locate(path: KeyPath, key?: boolean): Pick<ErrorDetail, 'file' | 'line' | 'column'>;
}

/** The child of a YAML collection node at one key path segment, and the pair's key node for maps. */
function child(doc: Document, node: unknown, seg: string | number): { value: unknown; key?: unknown } | undefined {
  const n = isAlias(node) ? node.resolve(doc) : node;
  if (isSeq(n)) {
    const i = typeof seg === 'number' ? seg : Number(seg);
    return Number.isInteger(i) && i >= 0 && i < n.items.length ? { value: n.items[i] } : undefined;
  }
  if (!isMap(n)) return undefined;
  const pair = n.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
  return pair ? { value: pair.value, key: pair.key } : undefined;
}

/** Builds the locator of a parsed document. */
function locator(doc: Document, lines: LineCounter, file: string | undefined): YamlSource['locate'] {
  return (path, key = false) => {
    let node: unknown = doc.contents;
    let at: unknown = node;
    for (const [i, seg] of path.entries()) {
      const next = child(doc, node, seg);
      if (!next) break;
      node = next.value;
      at = key && i === path.length - 1 && next.key !== undefined ? next.key : (next.value ?? next.key);
    }
    const range = isNode(at) ? (at as Node).range : undefined;
    if (!range) return file === undefined ? {} : { file };
    const pos = lines.linePos(range[0]);
    return { ...(file === undefined ? {} : { file }), line: pos.line, column: pos.col };
  };
}

/** The YAML errors of a document as details with positions. */
function yamlDetails(doc: Document, lines: LineCounter, file: string | undefined): ErrorDetail[] {
  return doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { ...(file === undefined ? {} : { file }), line: pos.line, column: pos.col, message };
  });
}

/**
 * Parses scenario text as YAML, keeping positions for messages.
 * @throws IhasimError `IHASIM_SCENARIO_YAML` listing every syntax error with its line and column.
 */
export function parseYamlSource(text: string, file?: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = file ?? 'the scenario';
  if (doc.errors.length > 0) {
    throw new IhasimError('IHASIM_SCENARIO_YAML', `${where} is not valid YAML`, yamlDetails(doc, lines, file));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new IhasimError('IHASIM_SCENARIO_YAML', `${where} is not valid YAML`, [{ ...(file ? { file } : {}), message }]);
  }
  return { data, locate: locator(doc, lines, file) };
}
