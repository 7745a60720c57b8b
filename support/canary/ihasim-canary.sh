#!/bin/sh
# ihasim canary agent: put this file in a VM as its cloud-init user-data (or run it as root).
#
# It reads the instance's uuid and the collector's URL (Nova metadata key `ihasim_collector`) from the metadata
# service, its boot id from /proc/sys/kernel/random/boot_id, and every IHASIM_CANARY_INTERVAL seconds (default 5)
# POSTs to <collector>/v1/heartbeat:
#   {"uuid": "...", "boot_id": "...", "seq": n, "host": "...", "sent_at": "2026-01-01T00:00:00Z"}
# the same JSON `ihasim serve` sends for its simulated instances. Two boot ids of one uuid heartbeating at
# once mean the instance runs twice. A guest cannot see its hypervisor: `host` is IHASIM_CANARY_HOST, or "unknown".
#
# First run (as user-data): installs itself as /usr/local/bin/ihasim-canary and, with systemd, as the
# ihasim-canary.service unit (restarted always, started at every boot); without systemd it starts the loop in
# the background now (start `/usr/local/bin/ihasim-canary run` at boot yourself, e.g. from /etc/rc.local).
# Needs: sh, curl, and a metadata service (or set IHASIM_COLLECTOR and IHASIM_UUID).
set -u

# To name the collector here rather than in the metadata, uncomment and edit this line (`ihasim serve` reads it
# from a served instance's user data too):
# IHASIM_COLLECTOR=http://192.0.2.10:8089

METADATA_URL="${IHASIM_METADATA_URL:-http://169.254.169.254/openstack/latest/meta_data.json}"
INTERVAL="${IHASIM_CANARY_INTERVAL:-5}"
SELF=/usr/local/bin/ihasim-canary

# The string value of a top-level-looking key in the metadata JSON (no jq in small images).
json_string() {
  grep -o "\"$1\": *\"[^\"]*\"" | head -n 1 | sed 's/^.*: *"\(.*\)"$/\1/; s/\\//g'
}

read_metadata() {
  until md=$(curl -fsS -m 5 "$METADATA_URL"); do sleep 2; done
  uuid="${IHASIM_UUID:-$(printf '%s' "$md" | json_string uuid)}"
  collector="${IHASIM_COLLECTOR:-$(printf '%s' "$md" | json_string ihasim_collector)}"
  collector="${collector%/}"
}

run() {
  if [ -n "${IHASIM_COLLECTOR:-}" ] && [ -n "${IHASIM_UUID:-}" ]; then
    uuid="$IHASIM_UUID"; collector="${IHASIM_COLLECTOR%/}"
  else
    read_metadata
  fi
  if [ -z "$collector" ]; then
    echo "ihasim-canary: no ihasim_collector in the instance metadata: nothing to do" >&2
    exit 0
  fi
  boot_id=$(cat /proc/sys/kernel/random/boot_id)
  host="${IHASIM_CANARY_HOST:-unknown}"
  seq=0
  while :; do
    seq=$((seq + 1))
    sent_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    body=$(printf '{"uuid": "%s", "boot_id": "%s", "seq": %d, "host": "%s", "sent_at": "%s"}' "$uuid" "$boot_id" "$seq" "$host" "$sent_at")
    # A collector that is down must not stop the canary: errors are ignored, the next beat is on time.
    curl -fsS -m 3 -o /dev/null -H 'Content-Type: application/json' -d "$body" "$collector/v1/heartbeat" 2>/dev/null || true
    sleep "$INTERVAL"
  done
}

install() {
  if [ "$(readlink -f "$0")" != "$SELF" ]; then
    mkdir -p "$(dirname "$SELF")" && cp "$0" "$SELF" && chmod 0755 "$SELF"
  fi
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    cat > /etc/systemd/system/ihasim-canary.service <<UNIT
[Unit]
Description=ihasim canary heartbeats
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=$SELF run
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
    systemctl daemon-reload
    systemctl enable --now ihasim-canary.service
  else
    nohup "$SELF" run >/dev/null 2>&1 &
  fi
}

case "${1:-install}" in
  run) run ;;
  install) install ;;
  *) echo "usage: $0 [install|run]" >&2; exit 2 ;;
esac
