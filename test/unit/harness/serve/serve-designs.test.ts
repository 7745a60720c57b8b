import { describe, expect, it } from 'vitest';
import { ServeSession } from '../../../../harness/serve/serve-session.js';
import { SERVE_SCENARIO_YAML, serveSpec } from '../../../support/serve-scenario.js';

/**
 * `ihasim serve` runs whichever design the scenario names: the world is built by the same registry as `ihasim run`,
 * so a served scenario with an automatic design recovers a host loss by itself, with nobody calling the APIs.
 */
function servedWith(policy: string) {
  const yaml = SERVE_SCENARIO_YAML.replace('recovery: { policy: external }', `recovery: { policy: ${policy} }`)
    .replace('duration: 2h', 'duration: 2h\nconfig:\n  pacemaker: { remoteMonitorInterval: 5s, remoteMonitorTimeout: 5s }');
  let wall = 1_700_000_000_000;
  const session = new ServeSession(serveSpec(yaml), { speed: 100, clock: () => wall, tickMs: 0 });
  const tick = (simMs: number): void => {
    wall += simMs / 100;
    session.advance();
  };
  return { session, tick };
}

describe('ihasim serve runs the design the scenario names', () => {
  for (const policy of ['no-fence', 'instanceha']) {
    it(`${policy}: a host lost through the control API is recovered inside the served world`, () => {
      const { session, tick } = servedWith(policy);
      expect(session.world.designDefinition.name).toBe(policy);
      tick(60_000);
      session.faults.inject(session.faults.parse({ kind: 'host-power-loss', target: 'compute-02' }));
      for (let i = 0; i < 60; i++) tick(60_000);
      const report = session.report();
      const lost = report.instances.filter((o) => o.fromHost === 'compute-02' && ['web-02', 'app-02'].includes(o.name));
      expect(lost.map((o) => [o.name, o.outcome])).toEqual([['web-02', 'recovered'], ['app-02', 'recovered']]);
      const evacuated = session.world.trace.records.filter((r) => r.type === 'nova.evacuate.accepted').map((r) => r.entity);
      expect(evacuated).toEqual(expect.arrayContaining(['web-02', 'app-02']));
    });
  }

  it('external: nothing inside recovers the same loss', () => {
    const { session, tick } = servedWith('external');
    tick(60_000);
    session.faults.inject(session.faults.parse({ kind: 'host-power-loss', target: 'compute-02' }));
    for (let i = 0; i < 60; i++) tick(60_000);
    expect(session.world.trace.records.filter((r) => r.type === 'nova.evacuate.accepted')).toEqual([]);
  });
});
