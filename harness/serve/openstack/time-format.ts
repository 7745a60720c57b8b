/**
 * Timestamp renderings of the OpenStack APIs. Each service formats differently and clients parse what they get,
 * so the variants are spelled out by the API that uses them.
 */
import type { SimClockView } from './options.js';

/** Wall-clock epoch ms of a simulated time (ms since the run start). */
export function epochOf(clock: SimClockView, simMs: number): number {
  return clock.toEpochMs ? clock.toEpochMs(simMs) : clock.epochMs + simMs;
}

/** Wall-clock epoch ms of now. */
export function nowEpochMs(clock: SimClockView): number {
  return epochOf(clock, clock.nowMs());
}

function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19);
}

function micros(epochMs: number): string {
  const ms = ((epochMs % 1000) + 1000) % 1000;
  return `${String(Math.floor(ms)).padStart(3, '0')}000`;
}

/** Keystone: `2025-01-01T00:00:00.000000Z`. */
export function keystoneTime(epochMs: number): string {
  return `${isoSeconds(epochMs)}.${micros(epochMs)}Z`;
}

/** Nova database times (services, migrations): `2025-01-01T12:00:00.000000`, no zone. */
export function novaDbTime(epochMs: number): string {
  return `${isoSeconds(epochMs)}.${micros(epochMs)}`;
}

/** Nova server and Glance image times: `2025-01-01T00:00:00Z`. */
export function isoZulu(epochMs: number): string {
  return `${isoSeconds(epochMs)}Z`;
}
