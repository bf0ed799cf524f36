#!/usr/bin/env bash
# Installs the Debian packages the kiosk and its tests need, only those missing.
# Idempotent: a machine that has them all does nothing and asks for nothing.
set -euo pipefail

PACKAGES=(
  fonts-noto-cjk        # Qt renders Chinese with "Noto Sans CJK SC" (and TC for 繁體中文)
  fonts-wqy-microhei    # TrueType CJK font ReportLab can embed in PDFs
  libpulse0             # QtMultimedia (camera, voice) import needs it
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-keysyms1 libxcb-icccm4 libwayland-cursor0 libwayland-egl1
  poppler-utils         # pdftoppm / pdftotext to look at and read back PDFs
  cups cups-client cups-bsd cups-pdf  # a real print spooler for A4 jobs (tests print to PDF)
  postgresql            # the backend's tests also run on a real PostgreSQL server (tests/pg.py)
  chromium              # make bench-startup, and the hall console's tests (Playwright)
  systemd cage          # deploy/: `systemd-analyze verify` of the units, the kiosk compositor
  espeak-ng             # voice guidance: offline speech (cmn-latn-pinyin, en-us voices)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
