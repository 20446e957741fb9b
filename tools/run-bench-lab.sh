#!/usr/bin/env bash
# The app lifecycle benchmarks on the OpenStack lab: start RabbitMQ and
# MariaDB with pifpaf and the lab (tools/lab; left up if it was up), then
# run `python -m bench app_lcm app_lcm_kills` (or the names given).
#
#   bash tools/run-bench-lab.sh [--json] [NAME...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin=$(dirname "$(command -v python)")
[ -n "${VIRTUAL_ENV:-}" ] && bin="$VIRTUAL_ENV/bin"
[ -x "$top/.venv/bin/python" ] && [ -z "${VIRTUAL_ENV:-}" ] && bin="$top/.venv/bin"

names=()
opts=()
for arg in "$@"; do
    case "$arg" in
        -*) opts+=("$arg") ;;
        *) names+=("$arg") ;;
    esac
done
[ ${#names[@]} -eq 0 ] && names=(app_lcm app_lcm_kills)

export PATH="$bin:$PATH:/usr/sbin:/sbin"
# A RabbitMQ of the run's own (see tools/run-functional.sh).
port=$("$bin/python" "$top/tools/free_port_pair.py")
exec "$top/tools/lab/lab" run -- \
    "$bin/pifpaf" run rabbitmq --port "$port" --nodename "mec-$port" -- \
    "$bin/pifpaf" run mysql -- \
    "$bin/python" -m bench ${opts[@]+"${opts[@]}"} "${names[@]}"
