#!/usr/bin/env bash
# Install everything Startklaar needs on a fresh Debian machine: a virtual environment with the
# project and its dev tools, the compiled translations, and (for tests) Debian's Chromium.
# Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=${1:-}

apt_install() {
  local missing=("$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]} — install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
.venv/bin/pybabel compile -d app/translations -f >/dev/null

packages=()
# WeasyPrint (the certificates of attendance) lays out text with Pango and HarfBuzz, in a font
# every Debian has (also what the browser tests and the deck renders draw with).
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
  dpkg -s "$lib" >/dev/null 2>&1 || packages+=("$lib")
done
fc-list 2>/dev/null | grep -qi dejavu || packages+=(fonts-dejavu-core)
if [ "$with_browser" = "--with-browser" ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  # The deck tests convert generated decks to PDF and PNG with LibreOffice Impress, and open a
  # chart's embedded workbook with Calc.
  dpkg -s libreoffice-impress-nogui >/dev/null 2>&1 || packages+=(libreoffice-impress-nogui)
  dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || packages+=(libreoffice-calc-nogui)
  # pdftoppm and pdftotext: the deck render test turns each slide into a PNG and reads its text.
  command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)
fi
apt_install "${packages[@]}"
