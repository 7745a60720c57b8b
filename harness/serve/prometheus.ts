/**
 * `GET /metrics`: the served world in the Prometheus text exposition format (version 0.0.4). Counters of the
 * OpenStack API and the control API, faults injected, safety violations by invariant, and recovery so far
 * (computed by the same code as the run report).
 */
import type { RunReport } from '../../reports/report-types.js';
import type { ServeSession } from './serve-session.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Label values escape backslash, double quote and newline. */
function label(value: string | number): string {
  return String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Builds one metric family: HELP, TYPE, then its samples. */
class Family {
  private readonly lines: string[];

  constructor(private readonly name: string, type: 'counter' | 'gauge', help: string) {
    this.lines = [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];
  }

  sample(value: number | null, labels: Record<string, string | number> = {}): this {
    const pairs = Object.entries(labels).map(([k, v]) => `${k}="${label(v)}"`);
    const shown = value === null ? 'NaN' : String(value);
    this.lines.push(`${this.name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${shown}`);
    return this;
  }

  text(): string {
    return this.lines.join('\n');
  }
}

const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

function requestFamily(session: ServeSession): Family {
  const f = new Family('ihasim_http_requests_total', 'counter', 'HTTP requests served (OpenStack APIs and control API), by method, route pattern and status.');
  for (const c of session.requests.snapshot()) f.sample(c.count, { method: c.method, route: c.route, status: c.status });
  return f;
}

function faultFamily(session: ServeSession): Family {
  const f = new Family('ihasim_faults_injected_total', 'counter', 'Faults injected through the control API, by kind.');
  for (const [kind, n] of session.faults.countsByKind()) f.sample(n, { kind });
  return f;
}

function violationFamily(report: RunReport): Family {
  const f = new Family('ihasim_violations_total', 'counter', 'Invariant violations found so far, by invariant.');
  const counts = new Map<string, number>();
  for (const v of report.violations) counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
  for (const [invariant, n] of counts) f.sample(n, { invariant });
  return f;
}

function recoveryFamilies(report: RunReport): Family[] {
  const r = report.metrics.recovery;
  return [
    new Family('ihasim_instances_recovered', 'gauge', 'Instances that failed and serve again after an evacuation.').sample(r.count),
    new Family('ihasim_instances_affected', 'gauge', 'Instances that failed or were evacuated.').sample(report.metrics.instancesAffected),
    new Family('ihasim_recovery_seconds', 'gauge', 'Downtime of recovered instances (simulated seconds), by quantile.')
      .sample(seconds(r.p50Ms), { quantile: '0.5' }).sample(seconds(r.p95Ms), { quantile: '0.95' }),
    new Family('ihasim_evacuations_total', 'counter', 'Evacuation migrations Nova accepted.').sample(report.metrics.evacuations),
  ];
}

/** The whole exposition, ending with a newline. */
export function metricsText(session: ServeSession): string {
  const report = session.report();
  const families = [
    requestFamily(session),
    faultFamily(session),
    violationFamily(report),
    ...recoveryFamilies(report),
    new Family('ihasim_sim_time_seconds', 'gauge', 'Simulated time of the served world.').sample(session.world.kernel.now / 1000),
    new Family('ihasim_kernel_errors_total', 'counter', 'Errors thrown by simulation events (each event dropped, the world went on).')
      .sample(session.driver.errorTotal),
  ];
  return families.map((f) => f.text()).join('\n') + '\n';
}
