/**
 * Canary emulation: a served instance whose Nova metadata carries `ihasim_collector: <url>` (or whose user data
 * has an `IHASIM_COLLECTOR=<url>` line, {@link collectorInUserData}) heartbeats to that
 * collector from every simulated domain of it that truly runs, as support/canary/ihasim-canary.sh would from
 * inside a real guest: `POST <url>/v1/heartbeat` with `{uuid, boot_id, seq, host, sent_at}` every `intervalMs`
 * of simulated time (so `--speed` shortens it in wall time). Two domains of one instance running at once (a
 * double run) are two streams with two boot ids.
 *
 * A domain heartbeats while it runs (not booting, not on a hung host) and its host's tenant network reaches the
 * network nodes: the collector sits outside the cloud, where users are. Its boot id is derived from the seed,
 * the instance, the domain's start (host and sim time) and its resets (a watchdog reset is a new guest boot),
 * so the same seed and the same fault times give the same ids.
 *
 * The collector is someone else's: requests have a short timeout, at most {@link MAX_IN_FLIGHT} are pending
 * (a heartbeat beyond that is counted and skipped), and every error is counted, never thrown or logged above
 * debug. The served world never waits on it.
 */
import { Agent, request } from 'undici';
import type { Domain } from '../../../sim/infra/domain.js';
import type { Instance } from '../../../sim/instance.js';
import { domainBootId } from '../boot-ids.js';
import type { ServeSession } from '../serve-session.js';

/** The metadata key naming the collector's base URL. */
export const COLLECTOR_METADATA_KEY = 'ihasim_collector';
export const DEFAULT_CANARY_INTERVAL_MS = 5_000;
/** Heartbeats awaiting an answer, over every stream: a stalled collector costs no more than this. */
const MAX_IN_FLIGHT = 64;
const TIMEOUT_MS = 2_000;

export interface Heartbeat {
  uuid: string;
  boot_id: string;
  seq: number;
  host: string;
  sent_at: string;
}

/** One domain's heartbeat stream. */
interface Stream {
  bootId: string;
  host: string;
  seq: number;
  nextDueMs: number;
}

export interface CanaryStats {
  sent: number;
  failed: number;
  /** Skipped because {@link MAX_IN_FLIGHT} were pending. */
  skipped: number;
  /** Instances whose `ihasim_collector` is not an http(s) URL (they do not heartbeat). */
  invalidCollectors: string[];
}

export interface CanaryOptions {
  /** Sim ms between two heartbeats of one domain; default 5 s. */
  intervalMs?: number;
}

/**
 * The collector a user-data text names: an `IHASIM_COLLECTOR=<url>` line (shell, as support/canary/ihasim-canary.sh
 * reads it from its environment; `export` and quotes allowed) or an `ihasim_collector: <url>` line (cloud-config).
 */
export function collectorInUserData(userData: string | undefined): string | undefined {
  if (userData === undefined) return undefined;
  const m = /^[ \t]*(?:export[ \t]+)?(?:IHASIM_COLLECTOR=|ihasim_collector:[ \t]*)["']?([^"'\s]+)["']?[ \t]*$/m.exec(userData);
  return m?.[1];
}

/** The heartbeat URL of a collector base URL, or null when it is not an http(s) URL. */
export function heartbeatUrl(collector: string): string | null {
  try {
    const u = new URL(collector);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.origin}${u.pathname.replace(/\/+$/, '')}/v1/heartbeat`;
  } catch {
    return null;
  }
}

export class CanaryEmitter {
  readonly stats: CanaryStats = { sent: 0, failed: 0, skipped: 0, invalidCollectors: [] };
  private readonly intervalMs: number;
  private readonly streams = new Map<string, Stream>();
  private readonly urls = new Map<Instance, string>();
  private readonly agent = new Agent({ connections: 8, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });
  private inFlight = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: ServeSession,
    options: CanaryOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_CANARY_INTERVAL_MS;
    for (const inst of session.world.instances.values()) {
      const collector = inst.nova.metadata[COLLECTOR_METADATA_KEY] ?? collectorInUserData(inst.nova.userData);
      if (collector === undefined) continue;
      const url = heartbeatUrl(collector);
      if (url) this.urls.set(inst, url);
      else this.stats.invalidCollectors.push(inst.name);
    }
    this.unsubscribe = this.urls.size > 0 ? session.driver.onAdvance((now) => this.tick(now)) : () => undefined;
  }

  /** Instances that heartbeat, with their heartbeat URL. */
  get canaries(): number {
    return this.urls.size;
  }

  /** The boot id a domain's guest shows (see the module comment). */
  bootIdOf(d: Domain): string {
    return domainBootId(this.session.seed, d.instance.uuid, `${d.host.name}@${d.startedAtMs}#${d.resets}`);
  }

  /** After every advance: each running domain of a canary sends the heartbeats that fell due (at most one each). */
  private tick(now: number): void {
    const live = new Set<string>();
    for (const [inst, url] of this.urls) {
      for (const d of inst.domains) {
        if (!d.serving || !this.session.world.tenantReachable(d.host.name)) continue;
        const bootId = this.bootIdOf(d);
        live.add(bootId);
        let s = this.streams.get(bootId);
        if (!s) this.streams.set(bootId, (s = { bootId, host: d.host.name, seq: 0, nextDueMs: now }));
        if (now < s.nextDueMs) continue;
        s.seq++;
        s.nextDueMs = now + this.intervalMs;
        this.send(url, { uuid: inst.uuid, boot_id: bootId, seq: s.seq, host: s.host, sent_at: this.isoTime(now) });
      }
    }
    // A guest that stopped forgets its stream: the next boot is a new boot id, beginning at seq 1.
    for (const id of this.streams.keys()) if (!live.has(id)) this.streams.delete(id);
  }

  /** The wall-clock moment of a sim time, as serve's `wall` timestamps show it (harness/serve/CLOCK.md). */
  private isoTime(simMs: number): string {
    const { epochMs, speed } = this.session.driver;
    return new Date(epochMs + simMs / speed).toISOString();
  }

  private send(url: string, beat: Heartbeat): void {
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.stats.skipped++;
      return;
    }
    this.inFlight++;
    request(url, {
      method: 'POST', dispatcher: this.agent, body: JSON.stringify(beat), headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 400) this.stats.failed++;
        else this.stats.sent++;
      })
      .catch(() => {
        this.stats.failed++;
      })
      .finally(() => {
        this.inFlight--;
      });
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.agent.destroy().catch(() => undefined);
  }
}
