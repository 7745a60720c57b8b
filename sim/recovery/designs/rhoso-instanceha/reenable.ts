import type { Op } from '../../../kernel/process.js';
import type { ServiceRecord } from '../../../nova/records.js';
import type { UdpPort } from './admit.js';
import { disableReason, REASON } from './classify.js';
import { MIGRATION_COMPLETED, MIGRATION_ERROR, migrationQueryMinutes } from './evacuate.js';
import { enableWithRetries, type HostContext } from './host.js';
import { isApiError } from './pool.js';

/** `KDUMP_REENABLE_DELAY_SECONDS`: a kdump host is re-enabled 60 s after its last kdump packet. */
const KDUMP_REENABLE_DELAY_MS = 60_000;

/**
 * `_process_reenabling`, each poll, for hosts enabled but forced down or disabled with `… complete`: when every
 * evacuation from the host in the query window (7 min by default) is finished (FORCE_ENABLE skips the check), force
 * it up — Nova refuses (400) while `done` rows remain, and the next poll tries again — and enable it once the
 * service (as listed at the start of this poll) is up. LEAVE_DISABLED drops hosts disabled `… complete` from the
 * list altogether: they stay forced down and disabled for the operator.
 */
export function* processReenabling(ctx: HostContext, udp: UdpPort | undefined, toReenable: readonly ServiceRecord[]): Op<void> {
  const { config } = ctx;
  const hosts = config.leaveDisabled
    ? toReenable.filter((s) => !(s.status === 'disabled' && (s.disabledReason ?? '').includes(REASON.complete)))
    : toReenable;
  for (const svc of hosts) {
    try {
      yield* reenableOne(ctx, udp, svc);
    } catch (err) {
      if (!isApiError(err)) throw err;
      ctx.ports.log('rhoso.reenable.error', svc.host, { message: (err as Error).message });
    }
  }
}

function* migrationsFinished(ctx: HostContext, host: string): Op<boolean> {
  if (ctx.config.forceEnable) return true;
  const since = ctx.ports.clock.now() - migrationQueryMinutes(ctx.config.evacuationTimeoutMs) * 60_000;
  const rows = yield* ctx.ports.nova.migrations({ sourceCompute: host, migrationType: 'evacuation', changesSinceMs: since });
  return rows.every((m) => MIGRATION_COMPLETED.includes(m.status) || MIGRATION_ERROR.includes(m.status));
}

function* reenableOne(ctx: HostContext, udp: UdpPort | undefined, svc: ServiceRecord): Op<void> {
  const { ports } = ctx;
  if (!(yield* migrationsFinished(ctx, svc.host))) return;
  const reason = svc.disabledReason ?? '';
  if (reason.includes('kdump')) {
    const last = udp?.lastKdumpMs(svc.host);
    if (last !== undefined && ports.clock.now() - last < KDUMP_REENABLE_DELAY_MS) return;
  }
  if (svc.forcedDown) {
    // `_host_enable(reenable=True)`: a refused force-up is retried next poll; its result is not checked here.
    try {
      yield* ports.nova.forceDown(svc.host, false);
      ports.log('rhoso.reenable.forced-up', svc.host);
      if (reason.includes('kdump')) {
        yield* ports.nova.disable(svc.host, disableReason(REASON.complete, ports.clock.now()));
        ctx.state.kdumpFenced.delete(svc.host);
      }
    } catch (err) {
      if (!isApiError(err)) throw err;
      ports.log('rhoso.reenable.force-up-refused', svc.host, { message: (err as Error).message });
    }
  }
  if (svc.status === 'disabled' && svc.state === 'up') {
    if (yield* enableWithRetries(ctx, svc.host)) {
      ports.log('rhoso.reenable.enabled', svc.host);
      ports.lifecycle.recovered(svc.host);
    }
  }
}
