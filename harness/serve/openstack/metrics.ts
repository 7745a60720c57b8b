/**
 * Request counters of the OpenStack API, by method, route pattern and status, for a Prometheus exporter.
 * The route is fastify's pattern (`/compute/v2.1/servers/:id`), so ids never blow up the label set.
 */
export interface RequestCount {
  method: string;
  route: string;
  status: number;
  count: number;
}

export interface RequestMetrics {
  /** Count one finished request. `route` is the matched route pattern, or `unmatched`. */
  record(method: string, route: string, status: number): void;
  /** Every counter, sorted by route, method, status (stable output for exporters and tests). */
  snapshot(): RequestCount[];
  /** Total of all counters. */
  total(): number;
}

/** A fresh in-memory counter map. */
export function createRequestMetrics(): RequestMetrics {
  const counts = new Map<string, RequestCount>();
  return {
    record(method, route, status) {
      const key = `${method} ${route} ${status}`;
      const entry = counts.get(key);
      if (entry) entry.count += 1;
      else counts.set(key, { method, route, status, count: 1 });
    },
    snapshot() {
      return [...counts.values()]
        .map((c) => ({ ...c }))
        .sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method) || a.status - b.status);
    },
    total() {
      let sum = 0;
      for (const c of counts.values()) sum += c.count;
      return sum;
    },
  };
}
