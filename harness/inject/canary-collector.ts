/**
 * The canary collector: a small HTTP server the canary instances POST heartbeats to (`POST /v1/heartbeat`,
 * JSON `{"uuid", "boot_id", "seq", "host", "sent_at"}`, every few seconds while the guest runs). A heartbeat proves
 * the instance ran at that moment, in that boot; silence longer than two periods is an outage users would see.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export interface Heartbeat { uuid: string; bootId: string; seq: number; host?: string; receivedAtMs: number }

const BODY = {
  type: 'object',
  required: ['uuid', 'boot_id'],
  properties: {
    uuid: { type: 'string', minLength: 1, maxLength: 64 },
    boot_id: { type: 'string', minLength: 1, maxLength: 64 },
    seq: { type: 'integer', minimum: 0 },
    host: { type: 'string', maxLength: 255 },
    sent_at: {},
  },
} as const;

export class CanaryCollector {
  private app: FastifyInstance | undefined;
  /** Last heartbeat per instance uuid. */
  readonly last = new Map<string, Heartbeat>();

  constructor(private readonly onHeartbeat: (h: Heartbeat) => void, private readonly clock: () => number = Date.now) {}

  /** Listens; resolves with the bound port. */
  async listen(host: string, port: number): Promise<number> {
    const app = Fastify({ bodyLimit: 4096 });
    app.post('/v1/heartbeat', { schema: { body: BODY } }, async (req, reply) => {
      const b = req.body as { uuid: string; boot_id: string; seq?: number; host?: string };
      // A real guest cannot see its hypervisor and sends `unknown` (support/canary/README.md): no host then.
      const h: Heartbeat = { uuid: b.uuid, bootId: b.boot_id, seq: b.seq ?? 0, ...(b.host && b.host !== 'unknown' ? { host: b.host } : {}), receivedAtMs: this.clock() };
      this.last.set(h.uuid, h);
      this.onHeartbeat(h);
      return reply.code(204).send();
    });
    await app.listen({ host, port });
    this.app = app;
    const addr = app.server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    await this.app?.close();
  }
}
