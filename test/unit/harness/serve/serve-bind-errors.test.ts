import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveCli } from '../../../support/cli-in-process.js';

/** Holds a TCP port on loopback for the duration of a test. */
function holdTcpPort(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server }));
  });
}

describe('ihasim serve: a port or host that cannot be bound is a usage error (exit 3)', () => {
  const held: Server[] = [];
  afterEach(async () => {
    await Promise.all(held.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it.each(['--port', '--redfish-port'])('a busy %s exits 3 with one line naming the port and the flag', async (flag) => {
    const { port, server } = await holdTcpPort();
    held.push(server);
    const { code, stderr } = await serveCli([flag, String(port)]);
    expect(code).toBe(3);
    expect(stderr).toContain(`port ${port} (${flag}) on 127.0.0.1 is already in use`);
    expect(stderr).not.toMatch(/IHASIM_INTERNAL|This is a bug|\n\s+at /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a busy IPMI port exits 3 naming --ipmi-base-port and the port of that compute', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const busy = socket.address().port;
    try {
      // compute-02 (index 1) gets base + 1 = the busy port.
      const { code, stderr } = await serveCli(['--ipmi-base-port', String(busy - 1)]);
      expect(code).toBe(3);
      expect(stderr).toContain(`port ${busy} (--ipmi-base-port) on 127.0.0.1 is already in use`);
      expect(stderr).not.toMatch(/IHASIM_INTERNAL|This is a bug/);
    } finally {
      socket.close();
    }
  });

  it('a --host that is not an address of this machine exits 3 naming --host', async () => {
    // 192.0.2.1 (TEST-NET-1, RFC 5737) is never a local address; binding it fails without sending anything.
    const { code, stderr } = await serveCli(['--host', '192.0.2.1', '--control-token', 't0ken']);
    expect(code).toBe(3);
    expect(stderr).toContain('--host 192.0.2.1 is not an address of this machine');
    expect(stderr).not.toMatch(/IHASIM_INTERNAL|This is a bug/);
  });
});
