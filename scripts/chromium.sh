#!/usr/bin/env bash
# Install Debian's Chromium and ChromeDriver for the browser tests (Playwright drives /usr/bin/chromium;
# Playwright's own browser download is not used).
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium from Debian packages…"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
chromium --version
