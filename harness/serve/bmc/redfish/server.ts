/**
 * `startRedfishServer`: the Redfish app over HTTPS with a self-signed certificate generated at start-up
 * (CN localhost; SAN localhost, 127.0.0.1, ::1). Clients skip verification (`fence_redfish --ssl-insecure`) or
 * trust `cert`.
 */
import selfsigned from 'selfsigned';
import { createRedfishApp, type RedfishAppOptions, type RedfishTls } from './app.js';

export interface RedfishServerOptions extends RedfishAppOptions {
  /** Address to listen on; default `127.0.0.1` (loopback). */
  host?: string;
  /** TCP port; 0 picks an ephemeral port. */
  port: number;
}

export interface RedfishServer {
  /** Base URL, e.g. `https://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** The server certificate (PEM), for clients that verify it. */
  cert: string;
  close(): Promise<void>;
}

/** Generates a self-signed server certificate (EC P-256, SHA-256, valid from yesterday for 30 days). */
export async function generateCertificate(): Promise<RedfishTls> {
  const dayMs = 24 * 60 * 60 * 1000;
  const notBeforeDate = new Date(Date.now() - dayMs);
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 31 * dayMs),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Starts the HTTPS Redfish service; resolves once it listens. */
export async function startRedfishServer(opts: RedfishServerOptions): Promise<RedfishServer> {
  const tls = await generateCertificate();
  const app = createRedfishApp(opts, tls);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${urlHost}:${port}`,
    port,
    cert: tls.cert,
    close: async () => {
      await app.close();
    },
  };
}
