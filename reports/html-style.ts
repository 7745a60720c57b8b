/** The inline stylesheet of the HTML report: no external assets, readable when printed. */
import { PHASES } from './phases.js';
import { SVG_CSS } from './svg/parts.js';

const BASE_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: #f6f8fa; padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; white-space: nowrap; }
.status { display: inline-block; font-weight: 700; padding: .1rem .6rem; border-radius: 4px; color: #fff; }
.status.pass { background: #1a7f37; }
.status.fail { background: #cf222e; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .15rem 1rem; margin: .75rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.more, .empty { color: #57606a; font-style: italic; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: .5rem 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: .9rem; height: .9rem; vertical-align: -2px; margin-right: .3rem; border-radius: 2px; }
.chart { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr max-content; gap: .2rem .75rem; align-items: center; }
.track { display: flex; height: 1rem; background: #f6f8fa; }
.seg { display: block; height: 100%; min-width: 1px; }
.axis { color: #57606a; font-size: 12px; }
.filters { margin: .5rem 0; display: flex; flex-wrap: wrap; gap: .4rem .75rem; align-items: center; }
.filters input[type=search] { min-width: 22rem; padding: .2rem .4rem; }
.filters .types { display: flex; flex-wrap: wrap; gap: .15rem .9rem; font-size: 12.5px; width: 100%; }
.filters .count { color: #57606a; }
.note { color: #57606a; font-size: 12.5px; }
`;

/** The stylesheet: the base rules and one colour class per phase (`.ph-detect`, `.ph-fence`, ...). */
export function reportCss(): string {
  const phaseRules = PHASES.map((p) => `.ph-${p.label} { background: ${p.colour}; }`).join('\n');
  return `${BASE_CSS.trim()}\n${SVG_CSS.trim()}\n${phaseRules}\n`;
}
