#!/usr/bin/env bash
# Installs independent readers (python-docx, icalendar; PyPI) into .venv-docs and prints the Python
# that has them. The test suite reads Fallwerk's DOCX reports and calendar feeds back with them when
# FALLWERK_DOC_PYTHON is set (CI sets it). Idempotent; progress goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-docs"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
if ! "$venv/bin/python" -c 'import docx, icalendar' 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/scripts/doc-tools/requirements.txt" >&2
fi
echo "$venv/bin/python"
