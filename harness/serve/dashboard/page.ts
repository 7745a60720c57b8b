/**
 * `GET /ihasim/v1/dashboard`: a self-contained live page of the served world — hosts (power, Nova's view,
 * Pacemaker's view beside the truth), instances (where Nova says vs where they run), active faults and the
 * event stream. The page itself holds no data, so it is served without the control token; its script sends
 * the token (from `#token=…`) on every API call.
 */
import { escapeHtml } from '../../../reports/escape.js';
import { contentSecurityPolicy } from '../../../reports/html-parts.js';
import { DASHBOARD_SCRIPT } from './script.js';

const CSS = `
body { font: 13px/1.4 system-ui, sans-serif; color: #1f2328; margin: 1rem; }
h1 { font-size: 1.3rem; margin: 0; } h2 { font-size: 1rem; margin: 1rem 0 .3rem; }
#clock, #state { color: #57606a; margin-right: 1rem; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: .15rem .4rem; text-align: left; }
th { background: #f6f8fa; }
td.bad { background: #ffd8d3; }
td.num { text-align: right; }
code { font: 12px ui-monospace, monospace; }
.empty { color: #57606a; font-style: italic; }
#event-box { max-height: 28rem; overflow-y: auto; }
`;

/** The page; `title` is the scenario's name. */
export function dashboardHtml(title: string): string {
  const csp = contentSecurityPolicy([DASHBOARD_SCRIPT], "; connect-src 'self'");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>ihasim serve: ${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>ihasim serve: ${escapeHtml(title)}</h1>
<p><span id="clock">connecting…</span><span id="state"></span></p>
<p class="empty">Red cells: a view that disagrees with the truth (Nova or Pacemaker believes a dead host is up, or the reverse; an instance Nova places where it does not run).</p>
<h2>Hosts</h2>
<table><thead><tr><th>Host</th><th>Truth (power / state)</th><th>Nova</th><th>Pacemaker</th><th>NICs down</th><th>Domains</th></tr></thead><tbody id="hosts"></tbody></table>
<div class="grid">
<div><h2>Instances</h2>
<table><thead><tr><th>Instance</th><th>Nova says</th><th>Runs on</th><th>Nova state</th><th>Serving</th></tr></thead><tbody id="instances"></tbody></table></div>
<div><h2>Active faults</h2><ul id="faults"></ul>
<h2>Events (newest first)</h2>
<div id="event-box"><table><thead><tr><th>At</th><th>Type</th><th>Entity</th></tr></thead><tbody id="events"></tbody></table></div></div>
</div>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}
