#!/usr/bin/env bash
# Starts the demo server on a private SQLite file and runs Tests/browser/smoke.py, long_input.py, child_protection.py, staffing.py and statistics.py
# against it with Debian's chromium and Playwright from PyPI (installed here if missing; no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/lib/chromium/chromium ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
venv=.venv-browser
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import playwright" 2>/dev/null || "$venv/bin/pip" install -q playwright

work=$(mktemp -d)
port=${SMOKE_PORT:-18089}
.build/debug/fallwerk serve --demo --data "$work/smoke.sqlite" --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/anmelden" && break
  sleep 1
done
mkdir -p "${SCREENSHOT_DIR:-$work}"
# Every suite runs even when an earlier one fails; the script fails when any did.
status=0
"$venv/bin/python" Tests/browser/smoke.py "http://127.0.0.1:$port" "${SCREENSHOT_DIR:-$work}" || status=1
# Long and awkward input per writing role on a phone, a tablet and a desktop screen (issue 11).
"$venv/bin/python" Tests/browser/long_input.py "http://127.0.0.1:$port" "${SCREENSHOT_DIR:-$work}" || status=1
# A § 8a procedure on a phone: consultation, risk assessment with four eyes and ISEF, Meldebogen, report (issue 13).
"$venv/bin/python" Tests/browser/child_protection.py "http://127.0.0.1:$port" "${SCREENSHOT_DIR:-$work}" || status=1
# A team lead records a request, accepts it from the capacity list, and prints the staff standards on a tablet (issue 14).
"$venv/bin/python" Tests/browser/staffing.py "http://127.0.0.1:$port" "${SCREENSHOT_DIR:-$work}" || status=1
# Statistics with bars, CSV and print; the Leistungsbericht's DOCX; accounting's money view (issue 15).
"$venv/bin/python" Tests/browser/statistics.py "http://127.0.0.1:$port" "${SCREENSHOT_DIR:-$work}" || status=1
# Data protection: who saw a file, subject access, audit log filters, retention and a blocked file (issue 16).
"$venv/bin/python" Tests/browser/data_protection.py "http://127.0.0.1:$port" "${SCREENSHOT_DIR:-$work}" || status=1
echo "screenshots: ${SCREENSHOT_DIR:-$work}"
exit $status
