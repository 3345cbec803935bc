#!/usr/bin/env bash
# Installs (as root) or names (otherwise) the Debian packages that browser, interop, PostgreSQL
# store, Redis cluster, Janus baseline and network namespace tests need.
set -euo pipefail
packages=(chromium chromium-driver
  # Independent WebRTC peers for interop tests: GStreamer webrtcbin and aiortc, driven from Python.
  python3 python3-aiortc python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-plugins-bad-1.0
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-nice
  # The meeting store's tests run against a PostgreSQL they start themselves (meet: PostgresServer).
  postgresql
  # The cluster layer's tests run against a Redis they start themselves (signal: RedisServer).
  redis-server
  # The load test's baseline SFU (loadgen: JanusInteropTest, ./loadtest --target janus).
  janus
  # TURN interop: coturn's turnutils_uclient and turnutils_peer drive our TURN server.
  coturn
  # Locked-down network tests (server netns: NetLab): namespaces, veth pairs and firewall rules.
  iproute2 nftables)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # The tests start their own servers on ports of their own: no packaged daemon may start on
  # install: a policy-rc.d refuses every start while apt runs (coturn, redis, janus, postgresql).
  policy=/usr/sbin/policy-rc.d
  [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && trap 'rm -f "$policy"' EXIT; }
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "error: the browser, interop, PostgreSQL and Redis tests need these Debian packages: ${missing[*]}" >&2
  echo "       install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
