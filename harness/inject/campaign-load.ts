/**
 * Reads an `ihasim inject` campaign: YAML with positions, the campaign schema (errors worded as the scenario
 * loader words them: file:line, key path, did-you-mean), then what a schema cannot say (targets that match no
 * host, a fault kind without its channel). Inline secrets are refused before anything else looks at the data,
 * and their values are never echoed.
 */
import { readFile } from 'node:fs/promises';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { IhasimError, isIhasimError } from '../errors.js';
import { INVARIANTS } from '../../reports/invariants.js';
import { expandBraces } from '../scenario/braces.js';
import { parseDuration } from '../scenario/duration.js';
import { Issues } from '../scenario/issues.js';
import { didYouMean, listSome, matchPattern } from '../scenario/name-match.js';
import { compileSchema, validateWith } from '../scenario/schema-validate.js';
import { parseYamlSource, type KeyPath } from '../scenario/yaml-source.js';
import { buildCampaignSchema } from './campaign-schema.js';
import type { BmcEntry, Campaign, HostEntry, PlannedFault } from './campaign.js';
import { DEFAULT_INTERFACES, FAULT_KINDS_LIVE, type LiveFaultKind, type NetworkName } from './fault-catalog.js';

let compiled: ValidateFunction | undefined;

/**
 * The invariants a live history can judge: from Nova's views, BMC power, canary heartbeats and `virsh list`.
 * no-split-writes, capacity-respected and quorum-respected need the simulator's truth (harness/history/HISTORY.md).
 */
export const LIVE_INVARIANTS = ['no-double-run', 'fence-before-evacuate', 'opt-in-respected', 'recovery-bounded', 'convergence', 'servers-placed'] as const;

/** Keys that would hold a secret inline. */
const INLINE_SECRET_KEYS = new Set(['password', 'secret', 'token', 'privatekey', 'passphrase', 'key', 'apikey', 'privkey']);

/** Records every inline secret key (at any depth) and removes it, so no later message can show its value. */
function refuseInlineSecrets(node: unknown, path: KeyPath, issues: Issues): void {
  if (Array.isArray(node)) return node.forEach((v, i) => refuseInlineSecrets(v, [...path, i], issues));
  if (node === null || typeof node !== 'object') return;
  const map = node as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    if (INLINE_SECRET_KEYS.has(key.toLowerCase().replace(/[_-]/g, ''))) {
      issues.add('schema', [...path, key], `inline secret \`${key}\` refused: credentials come only from an environment variable or a file`, {
        key: true, hint: 'write `passwordEnv: VAR_NAME` or `passwordFile: /path` (SSH: `keyFile: /path`)',
      });
      delete map[key];
    } else refuseInlineSecrets(map[key], [...path, key], issues);
  }
}

/** Campaign data after the schema check: shapes are known, so fields are read without further narrowing. */
type Raw = Record<string, any>;

const asList = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

function hostEntry(name: string, raw: Raw): HostEntry {
  const bmc = raw['bmc'] as Raw | undefined;
  const ssh = raw['ssh'] as Raw | undefined;
  return {
    name, allowed: raw['allowed'] === true,
    ...(raw['rack'] ? { rack: raw['rack'] } : {}),
    ...(raw['az'] ? { az: raw['az'] } : {}),
    ...(bmc ? { bmc: bmcEntry(bmc) } : {}),
    ...(ssh ? { ssh: { address: ssh['address'], port: ssh['port'], user: ssh['user'], keyFile: ssh['keyFile'], sudo: ssh['sudo'] ?? ssh['user'] !== 'root', ...(ssh['hostKey'] ? { hostKey: ssh['hostKey'] } : {}) } } : {}),
    interfaces: { ...DEFAULT_INTERFACES, ...(raw['interfaces'] ?? {}) },
    commands: Object.fromEntries(Object.entries((raw['commands'] ?? {}) as Record<string, Raw>).map(([k, t]) => [k, {
      do: asList(t['do']), ...(t['undo'] !== undefined ? { undo: asList(t['undo']) } : {}), ...(t['verify'] !== undefined ? { verify: t['verify'] } : {}),
    }])),
  };
}

function bmcEntry(raw: Raw): BmcEntry {
  return {
    kind: raw['kind'], address: raw['address'], port: raw['port'] ?? (raw['kind'] === 'ipmi' ? 623 : 443), username: raw['username'],
    ...(raw['passwordEnv'] ? { passwordEnv: raw['passwordEnv'] } : {}),
    ...(raw['passwordFile'] ? { passwordFile: raw['passwordFile'] } : {}),
    ...(raw['systemPath'] ? { systemPath: raw['systemPath'] } : {}),
    insecure: raw['insecure'] === true,
  };
}

/** The hosts a fault's `target` / `rack` / `az` selects; records an issue when it selects none. */
function faultHosts(f: Raw, i: number, hosts: ReadonlyMap<string, HostEntry>, issues: Issues): string[] {
  const names = [...hosts.keys()];
  const selectors = (['target', 'rack', 'az'] as const).filter((k) => f[k] !== undefined);
  if (selectors.length !== 1) {
    issues.add('semantic', ['faults', i], `a ${String(f['kind'])} fault needs exactly one of \`target\`, \`rack\`, \`az\` (found ${selectors.length})`);
    return [];
  }
  const key = selectors[0]!;
  const value = String(f[key]);
  let hit: string[];
  if (key === 'target') hit = [...new Set(expandBraces(value).flatMap((p) => matchPattern(p, names)))];
  else hit = names.filter((n) => hosts.get(n)![key] === value);
  if (hit.length === 0) {
    const pool = key === 'target' ? names : [...new Set([...hosts.values()].map((h) => h[key]).filter((v): v is string => !!v))];
    issues.add('target', ['faults', i, key], `no inventory host matches ${key} \`${value}\`${didYouMean(value, pool)}`, { expected: `one of ${listSome(pool)}` });
  }
  return hit;
}

/** Channel prerequisites of a fault on one host: a BMC for power, SSH for host commands, a network for NICs. */
function checkChannel(kind: LiveFaultKind, host: HostEntry, f: Raw, i: number, issues: Issues): void {
  const info = FAULT_KINDS_LIVE[kind];
  if (info.channel === 'bmc' && !host.bmc) issues.add('semantic', ['inventory', host.name], `${kind} on ${host.name} needs \`bmc:\` in its inventory entry (faults[${i}])`);
  if (info.channel === 'ssh' && !host.ssh) issues.add('semantic', ['inventory', host.name], `${kind} on ${host.name} needs \`ssh:\` in its inventory entry (faults[${i}])`);
  if (kind === 'host-kernel-panic' && !host.bmc) issues.add('semantic', ['inventory', host.name], `host-kernel-panic on ${host.name} needs \`bmc:\` to reset a host that does not come back (faults[${i}])`);
  if (info.needsNetwork && f['network'] === undefined) issues.add('semantic', ['faults', i], `${kind} needs \`network\` (mgmt, tenant or storage)`);
}

function plannedFaults(rawFaults: Raw[], hosts: ReadonlyMap<string, HostEntry>, issues: Issues): PlannedFault[] {
  const out: PlannedFault[] = [];
  rawFaults.forEach((f, i) => {
    const kind = f['kind'] as LiveFaultKind;
    const base = { index: i, kind, atMs: parseDuration(f['at']), durationMs: f['duration'] === undefined ? null : parseDuration(f['duration']) };
    if (kind === 'guest-panic') {
      if (f['server'] === undefined) issues.add('semantic', ['faults', i], 'guest-panic needs `server`');
      if (f['duration'] !== undefined) issues.add('semantic', ['faults', i, 'duration'], 'guest-panic takes no `duration`: the guest reboots or instance HA recovers it');
      if (f['server'] !== undefined) out.push({ ...base, id: `f${i}-${String(f['server'])}`, server: String(f['server']) });
      return;
    }
    if (f['server'] !== undefined) issues.add('semantic', ['faults', i, 'server'], `${kind} takes a host target, not \`server\``);
    for (const name of faultHosts(f, i, hosts, issues)) {
      checkChannel(kind, hosts.get(name)!, f, i, issues);
      out.push({ ...base, id: `f${i}-${name}`, host: name, ...(f['network'] ? { network: f['network'] as NetworkName } : {}) });
    }
  });
  return out;
}

/** Records an issue unless exactly one of `keys` is set (`env: false` counts as unset). */
function exactlyOne(map: Raw, path: KeyPath, keys: string[], issues: Issues): void {
  const set = keys.filter((k) => map[k] !== undefined && map[k] !== false);
  if (set.length !== 1) issues.add('schema', path, set.length === 0 ? `needs one of ${keys.map((k) => `\`${k}\``).join(', ')}` : `takes only one of ${set.map((k) => `\`${k}\``).join(', ')}`);
}

/** Rethrows the issues' error under a campaign code, keeping every detail. */
function throwAs(issues: Issues, file: string | undefined, code: 'IHASIM_CAMPAIGN_INVALID' | 'IHASIM_INJECT_REFUSED', summary: string): void {
  try {
    issues.throwIfAny();
  } catch (err) {
    if (!isIhasimError(err)) throw err;
    throw new IhasimError(code, `${file ?? 'the campaign'} ${summary} (${err.details.length} problem${err.details.length === 1 ? '' : 's'})`, err.details);
  }
}

export interface CampaignLoadOptions {
  /** For `--restore`: an undo is never refused, even on a host since marked `allowed: false`. */
  restore?: boolean;
}

/** The campaign's locator, for issues raised after loading (blast radius). */
export type CampaignLocator = (path: KeyPath, key?: boolean) => { file?: string; line?: number; column?: number };

/**
 * Parses and validates campaign YAML. Hosts that are not allowed are refused here (IHASIM_INJECT_REFUSED), so
 * nothing later ever sees a fault on them.
 * @throws IhasimError IHASIM_CAMPAIGN_INVALID (YAML, schema, inline secrets, unresolvable targets) or IHASIM_INJECT_REFUSED.
 */
export function parseCampaign(text: string, file?: string, opts: CampaignLoadOptions = {}): { campaign: Campaign; locate: CampaignLocator } {
  let source;
  try {
    source = parseYamlSource(text, file);
  } catch (err) {
    if (isIhasimError(err)) throw new IhasimError('IHASIM_CAMPAIGN_INVALID', err.message.replace('the scenario', 'the campaign'), err.details);
    throw err;
  }
  const data = source.data as Raw;
  const issues = new Issues(source, file);
  refuseInlineSecrets(data, [], issues);
  const invariantsGiven = (data?.['expect'] as Raw | undefined)?.['invariants'] !== undefined;
  compiled ??= compileSchema(buildCampaignSchema());
  validateWith(compiled, data, issues);
  throwAs(issues, file, 'IHASIM_CAMPAIGN_INVALID', 'does not match the campaign schema');
  exactlyOne(data['cloud'] as Raw, ['cloud'], ['name', 'env'], issues);
  const invariants = (data['expect'] as Raw)['invariants'];
  const known: string[] = INVARIANTS.map((i) => i.name);
  for (const [k, list] of [['invariants', Array.isArray(invariants) ? invariants : []], ['violations', (data['expect'] as Raw)['violations'] as string[]]] as const) {
    list.forEach((name: string, i: number) => {
      if (!known.includes(name)) issues.add('schema', ['expect', k, i], `unknown invariant \`${name}\`${didYouMean(name, known)}`, { expected: `one of ${known.join(', ')}` });
    });
  }
  for (const [n, h] of Object.entries(data['inventory'] as Record<string, Raw>)) if (h['bmc']) exactlyOne(h['bmc'] as Raw, ['inventory', n, 'bmc'], ['passwordEnv', 'passwordFile'], issues);
  const hosts = new Map(Object.entries(data['inventory'] as Record<string, Raw>).map(([n, h]) => [n, hostEntry(n, h)]));
  const faults = plannedFaults(data['faults'] as Raw[], hosts, issues);
  throwAs(issues, file, 'IHASIM_CAMPAIGN_INVALID', 'is inconsistent');
  const refused = new Issues(source, file);
  for (const f of faults) {
    if (f.host && !hosts.get(f.host)!.allowed) refused.add('target', ['faults', f.index], `${f.kind} would hit ${f.host}, which is not allowed (inventory.${f.host}.allowed is false)`);
  }
  if (!opts.restore) throwAs(refused, file, 'IHASIM_INJECT_REFUSED', 'is refused');
  const c = data['canaries'] as Raw;
  const l = data['limits'] as Raw;
  const campaign: Campaign = {
    name: data['name'], description: data['description'], ...(file ? { file } : {}),
    cloud: { ...(data['cloud'].name ? { name: data['cloud'].name } : {}), ...(data['cloud'].env ? { env: true } : {}), insecure: data['cloud'].insecure === true },
    hosts, faults: faults.sort((a, b) => a.atMs - b.atMs || a.index - b.index),
    canaries: { servers: c['servers'], bind: c['collector'].bind, port: c['collector'].port, intervalMs: parseDuration(c['interval']) },
    limits: {
      maxHostsDown: l['maxHostsDown'], maxAzFraction: l['maxAzFraction'], wallClockLimitMs: parseDuration(l['wallClockLimit']),
      apiRatePerSecond: l['apiRatePerSecond'], canaryOutageBoundMs: parseDuration(l['canaryOutageBound']),
      controlPlaneFailures: l['controlPlaneFailures'], pollIntervalMs: parseDuration(l['pollInterval']),
    },
    settleMs: parseDuration(data['settle']),
    observers: { virsh: data['observers'].virsh === true },
    // Absent, `expect.invariants` is what a live history can judge; `all` also asks for the truth-only ones (unknown, exit 2).
    // recovery-bounded needs a bound: without one it is left out of the default rather than judged unknown.
    expect: { ...data['expect'], ...(invariantsGiven ? {} : { invariants: LIVE_INVARIANTS.filter((n) => n !== 'recovery-bounded' || data['expect'].recoveryBound !== undefined) }) },
  };
  return { campaign, locate: (path, key) => source.locate(path, key) };
}

/** Reads and parses a campaign file. @throws IhasimError IHASIM_CAMPAIGN_INVALID when it cannot be read. */
export async function loadCampaign(path: string, opts: CampaignLoadOptions = {}): Promise<{ campaign: Campaign; locate: CampaignLocator }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new IhasimError('IHASIM_CAMPAIGN_INVALID', `cannot read campaign ${path} (${reason})`, [{ file: path, message: reason === 'ENOENT' ? 'no such file' : `cannot read the file: ${reason}` }]);
  }
  return parseCampaign(text, path, opts);
}
