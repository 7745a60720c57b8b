import { IhasimError } from '../errors.js';
import { HISTORY_VERSION, OBSERVATION_KINDS, type Observation, type ObservationKind } from './observation.js';

/** One JSON object per line, keys in the order written: the same run writes the same bytes. */
export function historyToJsonl(observations: Iterable<Observation>): string {
  let out = '';
  for (const o of observations) out += JSON.stringify(o) + '\n';
  return out;
}

type FieldType = 'string' | 'number' | 'boolean' | 'array' | 'string?' | 'number?';

/** The required fields of each kind (optional ones are not checked): what a checker reads without looking. */
const REQUIRED: Record<ObservationKind, Record<string, FieldType>> = {
  header: { history: 'number', mode: 'string', scenario: 'string', judged: 'array', expectedViolations: 'array', allowedReasons: 'array', healedAtMs: 'number', settleMs: 'number', instances: 'array', filter: 'string' },
  fault: { phase: 'string', id: 'string', fault: 'string', targets: 'array' },
  domain: { phase: 'string', instance: 'string', host: 'string' },
  executing: { instance: 'string', hosts: 'array' },
  writers: { instance: 'string', storage: 'string', hosts: 'array' },
  heartbeat: { instance: 'string', bootId: 'string' },
  serving: { instance: 'string', serving: 'boolean' },
  'nova-server': { instance: 'string', host: 'string?', vmState: 'string', taskState: 'string?' },
  'nova-service': { host: 'string', state: 'string', status: 'string', forcedDown: 'boolean', disabledReason: 'string?' },
  'host-health': { host: 'string', healthy: 'boolean' },
  power: { host: 'string', state: 'string' },
  fence: { phase: 'string', host: 'string', by: 'string?' },
  evacuation: { instance: 'string', fromHost: 'string' },
  claim: { host: 'string', instance: 'string', overcommitted: 'boolean' },
  'recovery-action': { action: 'string', target: 'string', controller: 'string?' },
  membership: { controller: 'string', standing: 'string' },
  outcome: { instance: 'string', outcome: 'string', reason: 'string?', fromHost: 'string?', failedAtMs: 'number?', recoveredAtMs: 'number?', downtimeMs: 'number?', longestEarlierOutageMs: 'number' },
  end: { settled: 'boolean' },
};

function typeOk(value: unknown, type: FieldType): boolean {
  if (type === 'array') return Array.isArray(value);
  if (type.endsWith('?')) return value === null || typeof value === type.slice(0, -1);
  return typeof value === type;
}

/** What is wrong with one parsed line, or null. */
function problem(o: unknown, first: boolean): string | null {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return 'not a JSON object';
  const r = o as Record<string, unknown>;
  if (typeof r['kind'] !== 'string') return 'no "kind"';
  if (typeof r['t'] !== 'number' || !Number.isFinite(r['t'])) return '"t" is not a number';
  if (typeof r['source'] !== 'string') return 'no "source"';
  if (first && r['kind'] !== 'header') return `the first line must be the header, found "${r['kind']}"`;
  if (!first && r['kind'] === 'header') return 'a second header';
  const fields = REQUIRED[r['kind'] as ObservationKind];
  if (!fields) return null;
  for (const [field, type] of Object.entries(fields)) if (!typeOk(r[field], type)) return `${r['kind']}: field "${field}" must be ${type.replace('?', ' or null')}`;
  if (first && (r['history'] as number) > HISTORY_VERSION) return `history version ${r['history']} is newer than this ihasim reads (${HISTORY_VERSION})`;
  return null;
}

/**
 * Parse a history written by `run --history` or `inject`. Blank lines are skipped, kinds this version does not know
 * are skipped (a newer writer adds kinds), anything else wrong is IHASIM_HISTORY_READ naming the line.
 */
export function parseHistory(text: string, file: string): Observation[] {
  const out: Observation[] = [];
  const lines = text.split('\n');
  let last = lines.length - 1;
  while (last > 0 && lines[last]!.trim() === '') last--;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw bad(file, i + 1, `not valid JSON (${(err as Error).message})${i === last ? ': the last line; the file may be truncated' : ''}`);
    }
    const why = problem(parsed, out.length === 0);
    if (why) throw bad(file, i + 1, why);
    if ((OBSERVATION_KINDS as readonly string[]).includes((parsed as Observation).kind)) out.push(parsed as Observation);
  }
  if (out.length === 0) throw bad(file, 1, 'the history is empty: it must begin with its header');
  return out;
}

function bad(file: string, line: number, message: string): IhasimError {
  return new IhasimError('IHASIM_HISTORY_READ', `line ${line} of the history is not a valid observation`, [{ file, line, message }]);
}
