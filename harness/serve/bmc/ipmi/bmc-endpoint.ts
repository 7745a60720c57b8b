/**
 * One simulated BMC on the wire: a UDP socket bound to its own port, answering from that same socket (ipmitool
 * `connect()`s its socket and ignores datagrams from any other address). Applies the node's reachability and
 * routes each datagram to ASF, v1.5 or RMCP+ handling. Nothing a peer sends can throw out of here.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { BmcContext } from './bmc-context.js';
import { MAX_DATAGRAM_BYTES, AuthType, RmcpClass } from './constants.js';
import { handleRmcpPlus } from './rmcp-plus-handler.js';
import { asfPingTag, encodeAsfPong, rmcpClass } from './rmcp.js';
import { handleV15 } from './v15-handler.js';

export class BmcEndpoint {
  private closed = false;

  private constructor(
    readonly ctx: BmcContext,
    private readonly socket: Socket,
  ) {
    socket.on('message', (msg, rinfo) => void this.onDatagram(msg, rinfo));
    // A send to a vanished peer (ICMP port unreachable) surfaces here; it must not become an uncaught error.
    socket.on('error', (err) => ctx.log.debug({ node: ctx.node.name, err }, 'ipmi socket error'));
  }

  /** Binds a socket for `ctx.node` on host:port (port 0 = ephemeral). */
  static open(ctx: BmcContext, host: string, port: number): Promise<BmcEndpoint> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4', reuseAddr: false });
      const onError = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        resolve(new BmcEndpoint(ctx, socket));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private reachable(): boolean {
    return this.ctx.backend.reachability(this.ctx.node.name) !== 'unreachable';
  }

  private async onDatagram(msg: Buffer, rinfo: RemoteInfo): Promise<void> {
    try {
      const reply = await this.answer(msg, `${rinfo.address}:${rinfo.port}`);
      // Re-checked: the node may have become unreachable while a command was being carried out.
      if (!reply || this.closed || !this.reachable()) return;
      this.socket.send(reply, rinfo.port, rinfo.address, (err) => {
        if (err) this.ctx.log.debug({ node: this.ctx.node.name, err }, 'ipmi send failed');
      });
    } catch (err) {
      // A bug, not a peer's fault — still no reason to take the process (and every other BMC) down.
      this.ctx.log.debug({ node: this.ctx.node.name, err }, 'ipmi handler error; datagram dropped');
    }
  }

  /** The reply datagram for `msg`, or undefined to stay silent. */
  private answer(msg: Buffer, source: string): Promise<Buffer | undefined> | Buffer | undefined {
    if (msg.length > MAX_DATAGRAM_BYTES || !this.reachable()) return undefined;
    const cls = rmcpClass(msg);
    if (cls === RmcpClass.asf) {
      const tag = asfPingTag(msg);
      return tag === undefined ? undefined : encodeAsfPong(tag);
    }
    if (cls !== RmcpClass.ipmi) return undefined;
    this.ctx.sessions.sweep();
    const ctx = { ...this.ctx, source };
    return msg[4] === AuthType.rmcpPlus ? handleRmcpPlus(ctx, msg) : handleV15(ctx, msg);
  }
}
