import { sleep, type Op } from '../../../kernel/process.js';
import type { NodeFacts } from '../../design-ports.js';

/** How often a process frozen with its hung node looks whether the node resumed. */
const HUNG_POLL_MS = 1_000;

/** The boot `boot` of the node is over: it was powered off, reset or panicked (a hang pauses it, it does not end it). */
function bootEnded(node: NodeFacts, boot: number): boolean {
  return node.bootCount !== boot || (node.state !== 'running' && node.state !== 'hung');
}

/**
 * Drives `op` while the node's boot `boot` lasts; once it ends, the op is abandoned where it stands (its process
 * ran on the node and died with it) and this returns false. Effects pass through unchanged, thrown API errors too.
 * `node` reads the node's facts now (LifecyclePort.node).
 */
export function* untilBootEnds(node: () => NodeFacts, boot: number, op: Op<boolean>): Op<boolean> {
  let step = op.next();
  for (;;) {
    if (step.done) return step.value && !bootEnded(node(), boot);
    let input: unknown;
    let error: { err: unknown } | null = null;
    try {
      input = yield step.value;
    } catch (err) {
      error = { err };
    }
    // A hung node's processes are frozen: they go on when it resumes, unless it is powered off or reset first.
    while (node().state === 'hung' && node().bootCount === boot) yield* sleep(HUNG_POLL_MS);
    if (bootEnded(node(), boot)) {
      op.return(false);
      return false;
    }
    step = error ? op.throw(error.err) : op.next(input);
  }
}
