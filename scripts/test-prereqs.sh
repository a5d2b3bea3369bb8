#!/usr/bin/env bash
# What the tests need beyond Node, from Debian's packages (no browser or font downloads):
# Chromium for the browser tests, and the fonts the PoE template PDFs embed.
# Installs what is missing when it can (root with apt-get); otherwise fails loudly.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || missing+=(fonts-droid-fallback)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "The tests need Debian packages that are missing: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "installing ${missing[*]} from Debian's packages" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
