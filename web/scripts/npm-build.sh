#!/usr/bin/env bash
# Builds the web module: `npm ci` when node_modules does not match package-lock.json, then the
# Vite build. Called by Maven (web/pom.xml); fails with a clear message without Node.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "the web module needs Node.js 20.19+ and npm on the PATH" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "the web module needs Node.js 20.19+, found $(node --version)" >&2
  exit 1
fi
# npm ci wipes node_modules: only when the lock file changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.visio-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  # --prefer-offline: the npm cache answers when it has the locked versions (offline builds).
  npm ci --no-audit --no-fund --prefer-offline
  echo "$lock_hash" > node_modules/.visio-lock-hash
fi
npm run build
