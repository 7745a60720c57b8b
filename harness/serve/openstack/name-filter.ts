/**
 * The `name` filter of `GET /servers`: a regular expression searched in the name, as Nova's DB layer does
 * (`nova/db/main/api.py` `_regex_instance_filter`: MySQL `REGEXP`, Python `re.search` on sqlite).
 *
 * The pattern comes from any user, so it is evaluated by RE2 (the `re2js` package, a pure-JS port of Google's
 * RE2): matching is linear in the length of the name whatever the pattern. JavaScript's backtracking `RegExp`
 * would take exponential time on patterns such as `^(a+)+$` and freeze the event loop, and with it every API
 * and the simulated clock. RE2 has no backreferences or lookaround: such patterns get a 400.
 */
import { RE2JS, RE2JSException } from 're2js';
import { ApiFault } from './faults.js';

/** A predicate over server names; everything matches when there is no pattern. */
export function compileNameFilter(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    const reason = err instanceof RE2JSException ? err.message : String(err);
    throw new ApiFault(400, `Invalid input received: the name filter ${JSON.stringify(pattern.slice(0, 255))} is not a regular expression this API evaluates (RE2 syntax): ${reason.slice(0, 255)}`);
  }
  return (name) => re.matcher(name).find();
}
