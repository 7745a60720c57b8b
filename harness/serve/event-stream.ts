/**
 * `GET /events`: the world's trace as Server-Sent Events, as it happens. Each record is one `trace` event whose
 * id is its index in the trace, so a client resumes with `Last-Event-ID` (or `?from=N`). After every kernel
 * advance the stream sends the records appended since its cursor; when the world freezes it sends one `end`
 * event and closes.
 *
 * Limits, so that clients cannot exhaust the server's memory: at most `maxClients` streams at once (the next
 * gets 503), and a client that does not read is disconnected once more than `maxBufferedBytes` wait in its
 * socket's buffer (a final `: disconnected …` comment is queued, then the socket is destroyed); it can
 * reconnect with `Last-Event-ID` and resume where it was.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { ServeSession } from './serve-session.js';

/** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;
/** Streams at once; each costs a listener on every advance and up to `maxBufferedBytes`. */
export const DEFAULT_MAX_SSE_CLIENTS = 64;
/** Bytes queued for one client (beyond what the kernel's socket buffers took) before it is disconnected. */
export const DEFAULT_MAX_SSE_BUFFERED_BYTES = 1024 * 1024;
/** A disconnected slow client gets this long to take its final comment before its socket is destroyed. */
const FAREWELL_MS = 1_000;

export interface EventStreamLimits {
  maxClients?: number;
  maxBufferedBytes?: number;
}

/** Where a stream starts: after `Last-Event-ID`, else `?from=N`, else the beginning of the trace. */
function startIndex(request: FastifyRequest): number {
  const last = request.headers['last-event-id'];
  if (typeof last === 'string' && /^\d+$/.test(last)) return Number(last) + 1;
  const from = (request.query as Record<string, unknown> | undefined)?.['from'];
  if (typeof from === 'string' && /^\d+$/.test(from)) return Number(from);
  return 0;
}

/** One open stream and how to let it go. */
interface Client {
  res: ServerResponse;
  release(): void;
}

/** Open streams, so the server can end them when it closes (an open stream would hold `close()` forever). */
export class EventStreams {
  private readonly open = new Set<Client>();
  private readonly maxClients: number;
  private readonly maxBufferedBytes: number;
  /** Clients disconnected for not reading, since the start. */
  slowDisconnects = 0;
  /** Clients turned away with 503, since the start. */
  refused = 0;

  constructor(
    private readonly session: ServeSession,
    limits: EventStreamLimits = {},
  ) {
    this.maxClients = limits.maxClients ?? DEFAULT_MAX_SSE_CLIENTS;
    this.maxBufferedBytes = limits.maxBufferedBytes ?? DEFAULT_MAX_SSE_BUFFERED_BYTES;
  }

  /** Streams open now. */
  get clientCount(): number {
    return this.open.size;
  }

  /** Route handler: take over the response and stream trace records into it (or 503 when full). */
  handle(request: FastifyRequest, reply: FastifyReply): void | FastifyReply {
    if (this.open.size >= this.maxClients) {
      this.refused++;
      return reply.code(503).header('retry-after', '5').send({ error: {
        code: 'IHASIM_USAGE', message: `too many event streams open (${this.maxClients}); close one and retry (resume with Last-Event-ID)`, details: [],
      } });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // Send the headers now: a client waits for them to know the stream is open, even while the trace is empty.
    res.flushHeaders();
    let cursor = startIndex(request);
    let released = false;
    const client: Client = { res, release: () => release() };
    const overCap = (): boolean => res.writableLength > this.maxBufferedBytes;
    const dropSlow = (): void => {
      this.slowDisconnects++;
      res.end(`: disconnected: more than ${this.maxBufferedBytes} bytes unread; reconnect with Last-Event-ID: ${cursor - 1}\n\n`);
      release();
      // The client is not reading: do not wait for it to take the farewell.
      setTimeout(() => res.destroy(), FAREWELL_MS).unref();
    };
    const flush = (): void => {
      if (released || res.writableEnded) return;
      const records = this.session.world.trace.records;
      for (; cursor < records.length; cursor++) {
        res.write(`id: ${cursor}\nevent: trace\ndata: ${JSON.stringify(records[cursor])}\n\n`);
        if (overCap()) {
          cursor++;
          return dropSlow();
        }
      }
      const frozen = this.session.driver.frozen;
      if (frozen !== null) {
        res.end(`event: end\ndata: ${JSON.stringify({ atMs: this.session.world.kernel.now, why: frozen })}\n\n`);
        release();
      }
    };
    const stopListening = this.session.driver.onAdvance(flush);
    const keepalive = setInterval(() => {
      if (overCap()) dropSlow();
      else res.write(': keepalive\n\n');
    }, KEEPALIVE_MS);
    keepalive.unref();
    // Free everything the stream holds, once, whichever way it ends.
    const release = (): void => {
      if (released) return;
      released = true;
      stopListening();
      clearInterval(keepalive);
      this.open.delete(client);
    };
    res.on('close', release);
    this.open.add(client);
    this.session.advance();
    flush();
  }

  /** End every open stream (the server is closing). */
  closeAll(): void {
    for (const c of [...this.open]) {
      c.res.end();
      c.release();
      // A client that does not read would otherwise hold the server's close.
      c.res.destroy();
    }
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
