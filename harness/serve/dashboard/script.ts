/**
 * The dashboard's browser script (plain JavaScript, no framework): polls `truth`, `instances` and `faults`
 * every second, follows the trace over `events` (Server-Sent Events read with fetch, because EventSource
 * cannot send the control token), and redraws the tables. The token comes from the URL fragment
 * `#token=…` (a fragment never reaches the server's logs).
 */
export const DASHBOARD_SCRIPT = `(function () {
  var base = location.pathname.replace(/\\/dashboard\\/?$/, '');
  var token = (/[#&]token=([^&]+)/.exec(location.hash) || [])[1];
  var headers = token ? { 'Authorization': 'Bearer ' + decodeURIComponent(token) } : {};
  var events = [];
  var MAX_EVENTS = 200;
  function el(id) { return document.getElementById(id); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function fmt(ms) { var s = Math.round(ms / 1000); return Math.floor(s / 60) + 'm' + String(s % 60).padStart(2, '0') + 's'; }
  function get(path) {
    return fetch(base + path, { headers: headers }).then(function (r) {
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json();
    });
  }
  function cell(text, bad) { return '<td' + (bad ? ' class="bad"' : '') + '>' + esc(text) + '</td>'; }
  function hostRow(h) {
    var truthDown = h.power !== 'on' || h.state !== 'running';
    var novaDown = h.nova.state !== 'up';
    var pcmkDown = h.pacemaker.node !== 'online';
    return '<tr data-host="' + esc(h.name) + '" data-power="' + esc(h.power) + '"><td><code>' + esc(h.name) + '</code></td>' +
      cell(h.power + ' / ' + h.state, truthDown) +
      cell(h.nova.state + (h.nova.forcedDown ? ' (forced down)' : '') + ' ' + h.nova.status, novaDown !== truthDown) +
      cell(h.pacemaker.node + (h.pacemaker.evacuate ? ' evacuate=' + h.pacemaker.evacuate : ''), pcmkDown !== truthDown) +
      cell(h.nicsDown.join(',') || '—', h.nicsDown.length > 0) + cell(h.domains.length) + '</tr>';
  }
  function instanceRow(i) {
    return '<tr data-instance="' + esc(i.name) + '"><td><code>' + esc(i.name) + '</code></td>' +
      cell(i.nova.host || '—') + cell(i.truth.executingOn.join(',') || 'nowhere', !i.consistent) +
      cell(i.nova.vmState + (i.nova.taskState ? ' / ' + i.nova.taskState : '')) + cell(i.truth.serving ? 'yes' : 'no', !i.truth.serving) + '</tr>';
  }
  function refresh() {
    return Promise.all([get('/truth'), get('/instances'), get('/faults'), get('/status')]).then(function (r) {
      var truth = r[0], inst = r[1], faults = r[2], status = r[3];
      el('clock').textContent = 'sim time ' + fmt(truth.atMs) + ' · ' + status.scenario + ' · seed ' + status.seed + (status.frozen ? ' · frozen: ' + status.frozen : '');
      el('hosts').innerHTML = truth.hosts.map(hostRow).join('');
      el('instances').innerHTML = inst.instances.map(instanceRow).join('');
      el('faults').innerHTML = faults.faults.length ? faults.faults.map(function (f) {
        return '<li data-fault="' + esc(f.id) + '">#' + esc(f.id) + ' ' + esc(f.kind) + ' → ' + esc((f.targets || []).join(', ')) + ' at ' + fmt(f.atMs) + '</li>';
      }).join('') : '<li class="empty">none</li>';
      el('state').textContent = 'live';
    }).catch(function (e) { el('state').textContent = 'error: ' + e.message; });
  }
  function showEvents() {
    el('events').innerHTML = events.slice(-MAX_EVENTS).reverse().map(function (e) {
      return '<tr data-type="' + esc(e.type) + '"><td class="num">' + fmt(e.t) + '</td><td><code>' + esc(e.type) + '</code></td><td><code>' + esc(e.entity) + '</code></td></tr>';
    }).join('');
  }
  function follow(from) {
    fetch(base + '/events?from=' + from, { headers: headers }).then(function (r) {
      if (!r.ok || !r.body) throw new Error('events: HTTP ' + r.status);
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      var next = from;
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          var parts = buffer.split('\\n\\n');
          buffer = parts.pop();
          parts.forEach(function (block) {
            var data = /^data: (.*)$/m.exec(block);
            var kind = /^event: (.*)$/m.exec(block);
            if (!data || !kind || kind[1] !== 'trace') return;
            events.push(JSON.parse(data[1]));
            next++;
          });
          if (events.length > 5 * MAX_EVENTS) events = events.slice(-MAX_EVENTS);
          showEvents();
          return pump();
        });
      }
      return pump().then(function () { return next; });
    }).catch(function (e) { el('state').textContent = 'events: ' + e.message; });
  }
  refresh();
  setInterval(refresh, 1000);
  follow(0);
})();`;
