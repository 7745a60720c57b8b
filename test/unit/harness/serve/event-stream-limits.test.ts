import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../../../../harness/serve/serve.js';
import { serveSpec } from '../../../support/serve-scenario.js';

/** An SSE client on a raw socket; `read: false` never reads a byte (its kernel buffers fill, then the server's). */
function openStream(serve: ServeHandle, read: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(serve.endpoints.port, '127.0.0.1', () => {
      socket.write(`GET /ihasim/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${serve.endpoints.port}\r\nAccept: text/event-stream\r\n\r\n`);
      if (read) socket.once('data', () => resolve(socket));
      else {
        socket.pause();
        resolve(socket);
      }
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

const status = async (serve: ServeHandle) =>
  ((await (await fetch(`${serve.endpoints.control}/status`)).json()) as { eventStreams: { clients: number; slowDisconnects: number; refused: number } }).eventStreams;

/** Poll the server's stream count until it is `n` (bounded by count, not time). */
async function waitForClients(serve: ServeHandle, n: number): Promise<number> {
  let seen = -1;
  for (let i = 0; i < 200 && seen !== n; i++) {
    seen = (await status(serve)).clients;
    if (seen !== n) await new Promise((r) => setTimeout(r, 10));
  }
  return seen;
}

describe('serve: GET /events limits', () => {
  it('a client that never reads is disconnected once its unread bytes pass the cap, and its state is freed', async () => {
    const serve = await startServe({ spec: serveSpec(), tickMs: 0, eventStreams: { maxBufferedBytes: 256 * 1024 } });
    try {
      // The driver's advance listeners: each stream adds one and must remove it when it goes.
      const listeners = (): number => (serve.session.driver as unknown as { listeners: Set<unknown> }).listeners.size;
      const baseline = listeners();
      const stalled = await openStream(serve, false);
      expect(await waitForClients(serve, 1)).toBe(1);
      // 4,000 records of 10 kB: 40 MB, more than loopback's socket buffers and the cap together.
      for (let i = 0; i < 4_000; i++) serve.world.emit('test.filler', `r${i}`, { pad: 'x'.repeat(10_000) });
      serve.session.advance();
      expect(await waitForClients(serve, 0)).toBe(0);
      expect((await status(serve)).slowDisconnects).toBe(1);
      expect(listeners()).toBe(baseline);
      stalled.destroy();
    } finally {
      await serve.close();
    }
  });

  it('the client over the limit gets 503 with a clear body; a slot frees when a stream closes', async () => {
    const serve = await startServe({ spec: serveSpec(), tickMs: 0 });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 64; i++) sockets.push(await openStream(serve, true));
      expect(await waitForClients(serve, 64)).toBe(64);
      const refused = await fetch(`${serve.endpoints.control}/events`);
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/too many event streams open \(64\)/);
      sockets.pop()!.destroy();
      expect(await waitForClients(serve, 63)).toBe(63);
      sockets.push(await openStream(serve, true));
      expect(await waitForClients(serve, 64)).toBe(64);
    } finally {
      sockets.forEach((s) => s.destroy());
      await serve.close();
    }
  });
});
