/**
 * The safety invariants are judged on the run's history (harness/history): the simulator's probe records it and
 * feeds the one invariant table. `SafetyChecker` is that probe under the name the tests and tools know.
 */
export { SimHistory as SafetyChecker } from '../history/sim/sim-history.js';
