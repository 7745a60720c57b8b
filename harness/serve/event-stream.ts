/**
 * `GET /events`: the world's trace as Server-Sent Events, as it happens. Each record is one `trace` event whose
 * id is its index in the trace, so a client resumes with `Last-Event-ID` (or `?from=N`). After every kernel
 * advance the stream sends the records appended since its cursor; when the world freezes it sends one `end`
 * event and closes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ServeSession } from './serve-session.js';

/** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

/** Where a stream starts: after `Last-Event-ID`, else `?from=N`, else the beginning of the trace. */
function startIndex(request: FastifyRequest): number {
  const last = request.headers['last-event-id'];
  if (typeof last === 'string' && /^\d+$/.test(last)) return Number(last) + 1;
  const from = (request.query as Record<string, unknown> | undefined)?.['from'];
  if (typeof from === 'string' && /^\d+$/.test(from)) return Number(from);
  return 0;
}

/** Open streams, so the server can end them when it closes (an open stream would hold `close()` forever). */
export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly session: ServeSession) {}

  /** Route handler: take over the response and stream trace records into it. */
  handle(request: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    this.open.add(res);
    let cursor = startIndex(request);
    const flush = (): void => {
      if (res.writableEnded) return;
      const records = this.session.world.trace.records;
      for (; cursor < records.length; cursor++) res.write(`id: ${cursor}\nevent: trace\ndata: ${JSON.stringify(records[cursor])}\n\n`);
      const frozen = this.session.driver.frozen;
      if (frozen !== null) {
        res.write(`event: end\ndata: ${JSON.stringify({ atMs: this.session.world.kernel.now, why: frozen })}\n\n`);
        res.end();
      }
    };
    const stopListening = this.session.driver.onAdvance(flush);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    res.on('close', () => {
      stopListening();
      clearInterval(keepalive);
      this.open.delete(res);
    });
    this.session.advance();
    flush();
  }

  /** End every open stream (the server is closing). */
  closeAll(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}

/** Register `GET /events` on the control API (inside its prefix) and end the streams when the app closes. */
export function registerEventStream(app: FastifyInstance, streams: EventStreams): void {
  app.get('/events', (request, reply) => streams.handle(request, reply));
  app.addHook('preClose', (done) => {
    streams.closeAll();
    done();
  });
}
