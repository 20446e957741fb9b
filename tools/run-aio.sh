#!/usr/bin/env bash
# Set up the project's virtualenv (.venv) and run the all-in-one: the API
# and a conductor in one process, SQLite state, no Keystone.
#
#   bash tools/run-aio.sh [--host 127.0.0.1] [--port 9898] [--state-dir DIR]
#                         [--config-file FILE]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=tools/venv.sh
source tools/venv.sh
ensure_venv "$top/.venv"
exec "$top/.venv/bin/mec-orchestrator-aio" "$@"
