import { createServer } from 'node:net';

/**
 * A TCP port free on `host` right now (the OS picks it): for a listener whose address must be known before it
 * listens (a served endpoint written into the catalog, a collector URL put in the canaries' metadata).
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
