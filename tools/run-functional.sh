#!/usr/bin/env bash
# Functional tests: start RabbitMQ and MariaDB with pifpaf (and the
# OpenStack lab, when MEC_LAB=1) once for the whole run, then stestr.
#
#   bash tools/run-functional.sh [stestr filters...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin=$(dirname "$(command -v python)")
[ -n "${VIRTUAL_ENV:-}" ] && bin="$VIRTUAL_ENV/bin"
[ -x "$top/.venv/bin/python" ] && [ -z "${VIRTUAL_ENV:-}" ] && bin="$top/.venv/bin"

run=("$bin/python" -m stestr --test-path ./mec_orchestrator/tests/functional run --concurrency "${MEC_FUNCTIONAL_CONCURRENCY:-2}" "$@")
if [ "${MEC_LAB:-0}" = 1 ]; then
    run=("$top/tools/lab/lab" run -- "${run[@]}")
fi
export PATH="$bin:$PATH:/usr/sbin:/sbin"
# A RabbitMQ of this run's own: a port (and its Erlang distribution port,
# 20000 above) free now, and a node name of its own, so that runs (a test
# run, a benchmark) can share the machine.
port=$("$bin/python" "$top/tools/free_port_pair.py")
exec "$bin/pifpaf" run rabbitmq --port "$port" --nodename "mec-$port" -- \
    "$bin/pifpaf" run mysql -- "${run[@]}"
