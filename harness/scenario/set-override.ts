import { parse as parseYaml } from 'yaml';
import { IhasimError } from '../errors.js';
import { formatPath, type KeyPath, type YamlSource } from './yaml-source.js';

/**
 * `--set key.path=value`: one change to the raw scenario document, applied BEFORE schema validation so that a
 * value set on the command line meets exactly the checks (and the messages) it would meet in the file.
 */
export interface SetOverride {
  /** As the user wrote it, for messages and replay commands. */
  readonly text: string;
  readonly path: KeyPath;
  /** The value, parsed as YAML (`false`, `5s`, `m1.large`, `{name: spare-1}`, `[a, b]`). */
  readonly value: unknown;
}

const usage = (text: string, why: string): IhasimError =>
  new IhasimError('IHASIM_USAGE', `--set '${text}': ${why}`, [
    { message: 'write --set key.path=value (the value is YAML), e.g. --set recovery.forceDown=false or --set \'servers[0].flavor=m1.large\'' },
  ]);

/** Splits `a.b[0].c` into `['a', 'b', 0, 'c']`; undefined when it is not a key path. */
export function parseKeyPath(key: string): (string | number)[] | undefined {
  const path: (string | number)[] = [];
  const re = /([A-Za-z0-9_:-]+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(key)) !== null) {
    end = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectKey) return undefined;
      path.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (path.length === 0 || expectKey) return undefined;
      path.push(Number(m[2]));
    } else {
      if (expectKey) return undefined;
      expectKey = true;
    }
  }
  if (end !== key.length || expectKey || path.length === 0) return undefined;
  return path;
}

/**
 * Parses one `--set` argument.
 * @throws IhasimError `IHASIM_USAGE` without `=`, with a malformed key path, or a value that is not YAML.
 */
export function parseSetOverride(text: string): SetOverride {
  const eq = text.indexOf('=');
  if (eq <= 0) throw usage(text, 'expected key.path=value');
  const key = text.slice(0, eq).trim();
  const path = parseKeyPath(key);
  if (!path) throw usage(text, `\`${key}\` is not a key path (keys joined by \`.\`, list indexes as \`[0]\`)`);
  let value: unknown;
  try {
    value = parseYaml(text.slice(eq + 1));
  } catch (err) {
    throw usage(text, `the value is not YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  return { text, path, value: value ?? null };
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A key path the scenario holds because of a `--set` (its target, or a map it created on the way). */
export interface OverrideOrigin {
  readonly path: KeyPath;
  readonly text: string;
}

/**
 * Applies overrides to plain scenario data, in order, in place; returns where each one wrote. Missing maps along
 * a path are created, so a key the schema does not know reaches the validator and gets its unknown-key message
 * with a did-you-mean.
 * @throws IhasimError `IHASIM_USAGE` when a path goes through a value that is neither a map nor a list, or
 *   indexes past the end of a list.
 */
export function applySetOverrides(data: unknown, overrides: readonly SetOverride[]): OverrideOrigin[] {
  if (overrides.length > 0 && !isMap(data)) throw usage(overrides[0]!.text, 'the scenario is not a map of keys');
  const origins: OverrideOrigin[] = [];
  for (const o of overrides) {
    origins.push({ path: o.path, text: o.text });
    let node: unknown = data;
    o.path.forEach((seg, i) => {
      const last = i === o.path.length - 1;
      const here = formatPath(o.path.slice(0, i)) || 'the scenario';
      if (typeof seg === 'number') {
        if (!Array.isArray(node)) throw usage(o.text, `\`${here}\` is not a list`);
        if (seg > node.length || (seg === node.length && !last)) throw usage(o.text, `\`${here}\` has ${node.length} item(s): index ${seg} is past its end`);
        if (last) node[seg] = structuredClone(o.value);
        else node = node[seg];
        return;
      }
      if (!isMap(node)) throw usage(o.text, `\`${here}\` is not a map (it holds ${Array.isArray(node) ? 'a list' : JSON.stringify(node)})`);
      if (last) node[seg] = structuredClone(o.value);
      else {
        if (node[seg] === undefined || node[seg] === null) {
          node[seg] = {};
          origins.push({ path: o.path.slice(0, i + 1), text: o.text });
        }
        node = node[seg];
      }
    });
  }
  return origins;
}

/** True when `path` is `prefix` or below it. */
function under(path: KeyPath, prefix: KeyPath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => String(seg) === String(path[i]));
}

/**
 * A locator that points a problem at the `--set` that made it (the last one covering its path), and at the file
 * position otherwise: "--set recovery.forceDwn=false recovery.forceDwn: unknown key …".
 */
export function locateWithOverrides(source: Pick<YamlSource, 'locate'>, origins: readonly OverrideOrigin[]): YamlSource['locate'] {
  return (path, key) => {
    const from = [...origins].reverse().find((o) => under(path, o.path));
    return from ? { file: `--set ${from.text}` } : source.locate(path, key);
  };
}

/** Specs loaded with overrides, and the `--set` flags that reproduce them (for replay commands). */
const overridesOf = new WeakMap<object, readonly string[]>();

export function rememberOverrides(spec: object, overrides: readonly SetOverride[]): void {
  if (overrides.length > 0) overridesOf.set(spec, overrides.map((o) => o.text));
}

/** The `--set` texts a spec was loaded with (empty for a plain file). */
export function overridesFor(spec: object): readonly string[] {
  return overridesOf.get(spec) ?? [];
}
