/**
 * Why an instance that failed is not serving at the end of a run: the stable reason names of a report's
 * `not-recovered` (and `never-placed`) outcomes, with what each means for an operator. A scenario lists the
 * ones it accepts in `expect.allowedReasons`; any other reason for an opted-in instance breaks
 * `recovery-bounded`.
 */
export const NOT_RECOVERED_REASONS = {
  'watchdog-poweroff': 'the guest crashed and its watchdog action (poweroff) left it off',
  'watchdog-pause': 'the guest crashed and its watchdog action (pause) left it paused',
  'watchdog-none': 'the guest crashed and its watchdog action is none',
  'watchdog-disabled': 'the guest crashed and it has no watchdog device',
  'watchdog-notify': 'the guest crashed and its watchdog only notifies',
  'guest-dead-no-watchdog-action': 'the guest panicked or hung and nothing acted on it',
  'not-opted-in': "the recovery policy's filter excludes it",
  'local-disk-policy': 'it has local disks and the policy does not evacuate those',
  'policy-notify-only': 'the policy only notifies',
  'fencing-impossible': 'its host could not be fenced (the BMC did not answer or failed), so evacuating it was unsafe',
  'no-capacity': 'the scheduler found no valid host for it',
  'rebuild-lost':
    "its evacuation's rebuild died with the destination's nova-compute: Nova shows it `rebuilding` on the failed host and nothing retries it (operator: `nova reset-state --active`, then evacuate again)",
  'no-quorum': 'no controller partition had quorum to act',
  'rebuild-queued-on-dead-host': 'its rebuild was cast to a destination that is dead but that Nova still believed up (a rack-mate not yet detected); it waits in that host\'s queue for ever. Operator: nova reset-state --active, then evacuate again',
  'still-recovering': 'its evacuation was accepted but had not finished when the run ended',
  'operator-not-yet-acted': 'no automated recovery: the operator has not acted yet',
  'not-evacuated': 'nothing evacuated it, and no reason above applies (a finding)',
  'no-valid-host': 'no host could take it at start, so it never ran',
} as const;

export type NotRecoveredReason = keyof typeof NOT_RECOVERED_REASONS;

export const REASON_NAMES = Object.keys(NOT_RECOVERED_REASONS) as NotRecoveredReason[];
