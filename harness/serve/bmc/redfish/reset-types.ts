/**
 * `ComputerSystem.Reset` ResetType values and how they map onto the backend's chassis power actions.
 *
 * fence_redfish 4.12 sends `On` (on), `ForceOff` (off; reboot is off then on) and `Nmi` (diag). The other values
 * are accepted for other clients (sushy, Ironic, redfishtool). `ForceOn` is in sushy-tools' AllowableValues.
 */
import type { PowerAction } from '../backend.js';
import { redfishError } from './errors.js';

/** The action name as it appears in error messages. */
export const RESET_ACTION = 'ComputerSystem.Reset';

/** ResetType → backend power action. Order is the order of `ResetType@Redfish.AllowableValues`. */
export const RESET_TYPES = {
  On: 'on',
  ForceOff: 'off',
  GracefulShutdown: 'soft',
  GracefulRestart: 'reset',
  ForceRestart: 'reset',
  Nmi: 'diag',
  ForceOn: 'on',
  PowerCycle: 'cycle',
} as const satisfies Record<string, PowerAction>;

export type ResetType = keyof typeof RESET_TYPES;

/** The allowable values, as the system document lists them. */
export const ALLOWABLE_RESET_TYPES: readonly ResetType[] = Object.keys(RESET_TYPES) as ResetType[];

function isResetType(value: string): value is ResetType {
  return Object.prototype.hasOwnProperty.call(RESET_TYPES, value);
}

/** Short, bounded rendering of a client-supplied value for an error message. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

/**
 * Validates a Reset action body and returns the backend action to carry out.
 * Throws a 400 Redfish error (listing the allowable values) for a missing, mistyped or unknown ResetType.
 * Unknown extra properties are ignored, as sushy-tools does.
 */
export function parseResetBody(body: unknown): { resetType: ResetType; action: PowerAction } {
  const allowed = ALLOWABLE_RESET_TYPES.join(', ');
  if (body === undefined || body === null) {
    throw redfishError('actionParameterMissing', [RESET_ACTION, 'ResetType', allowed]);
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw redfishError('bodyNotObject', [describeValue(body)]);
  }
  const value: unknown = (body as Record<string, unknown>)['ResetType'];
  if (value === undefined) {
    throw redfishError('actionParameterMissing', [RESET_ACTION, 'ResetType', allowed]);
  }
  if (typeof value !== 'string') {
    throw redfishError('actionParameterType', [describeValue(value), 'ResetType', RESET_ACTION, allowed]);
  }
  if (!isResetType(value)) {
    throw redfishError('actionParameterNotInList', [describeValue(value), 'ResetType', RESET_ACTION, allowed]);
  }
  return { resetType: value, action: RESET_TYPES[value] };
}
