import { buildScenarioSchema } from '../scenario/index.js';

type Node = { properties?: Record<string, Node>; oneOf?: Node[]; anyOf?: Node[]; allOf?: Node[]; enum?: unknown[]; const?: unknown };

/** The `recovery` node of the scenario schema. */
function recoveryNode(): Node {
  const schema = buildScenarioSchema() as Node;
  return schema.properties?.recovery ?? {};
}

/** The schema branches of the recovery block, one per design when the schema is split by `policy`. */
function branches(node: Node): Node[] {
  const split = node.oneOf ?? node.anyOf;
  return split && split.length > 0 ? split : [node];
}

function policiesOf(branch: Node): string[] {
  const p = branch.properties?.policy;
  if (!p) return [];
  if (p.const !== undefined) return [String(p.const)];
  return (p.enum ?? []).map(String);
}

/** Every recovery design a scenario may name (`recovery.policy`), in the schema's order. */
export function designNames(): string[] {
  return [...new Set(branches(recoveryNode()).flatMap(policiesOf))];
}

/** The keys of the recovery block that `design` accepts (its own knobs and the common ones). */
export function recoveryKeysOf(design: string): Set<string> {
  const branch = branches(recoveryNode()).find((b) => policiesOf(b).includes(design));
  return new Set(Object.keys(branch?.properties ?? {}));
}
