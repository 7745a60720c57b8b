/**
 * Nova releases the model knows, oldest first, and the behaviour that changed between them. Each release is
 * modelled as its series' first release (x.0.0); where a fix was backported to a later point release of an older
 * series, the note on the rule says so.
 */
export const NOVA_RELEASES = ['wallaby', 'xena', 'yoga', 'zed', '2023.1', '2023.2', '2024.1', '2024.2', '2025.1'] as const;

export type NovaRelease = (typeof NOVA_RELEASES)[number];

/** The newest release modelled: the default of `config.nova.release`. */
export const NEWEST_NOVA_RELEASE: NovaRelease = '2025.1';

function atLeast(release: NovaRelease, since: NovaRelease): boolean {
  return NOVA_RELEASES.indexOf(release) >= NOVA_RELEASES.indexOf(since);
}

/**
 * Before 26.0.0 (zed), `compute/api.py` `API.evacuate` was decorated `check_instance_state(vm_state=[…])` with
 * the default `task_state=(None,)` and saved with `expected_task_state=[None]`: an instance whose task_state is
 * set (a rebuild in flight) is refused with 409. From zed (change I5540df6c, LP#1978983) it passes
 * `task_state=None` and saves with `expected_task_state=None`, so a second evacuate is accepted. The change was
 * backported to 23.2.2 (wallaby), 24.2.0 (xena) and 25.1.0 (yoga); those point releases behave like zed.
 */
export function evacuateRefusesTaskState(release: NovaRelease): boolean {
  return !atLeast(release, 'zed');
}

/**
 * From 24.0.0 (xena), `api/openstack/compute/services.py` `ServiceController._check_for_evacuations` refuses
 * to force a compute up while evacuations from it are `done` (LP#1922053). Before it, force-up is never refused.
 */
export function forceUpChecksEvacuations(release: NovaRelease): boolean {
  return atLeast(release, 'xena');
}
