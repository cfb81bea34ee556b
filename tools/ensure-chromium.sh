#!/usr/bin/env bash
# The portal's Playwright suite drives Debian's Chromium (Playwright's own browser download
# cannot be fetched here). Installs it when missing and we may (root with apt); otherwise says how.
set -euo pipefail
browser="${E2E_CHROMIUM_PATH:-/usr/bin/chromium}"
[ -n "${E2E_BASE_URL:-}" ] && [ -x "$browser" ] && exit 0
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's Chromium for the end-to-end tests (apt-get install chromium)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium not found at $browser. Install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
echo "or point E2E_CHROMIUM_PATH at a Chromium or Chrome binary." >&2
exit 1
