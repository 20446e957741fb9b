#!/usr/bin/env bash
# Run the tests on a fresh machine: install what they need (Debian's
# RabbitMQ and MariaDB, the project's virtualenv), then the unit tests and
# the functional tests against real services. Ends with one summary line.
#
#   bash tools/run-tests.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=tools/venv.sh
source tools/venv.sh

need_apt=()
command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ] || need_apt+=(rabbitmq-server)
[ -x /usr/sbin/mariadbd ] || [ -x /usr/sbin/mysqld ] || need_apt+=(mariadb-server)
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${need_apt[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null || {
        echo "apt-get install failed" >&2; exit 1; }
fi

# The OpenStack lab (tools/lab) runs under the functional tests unless
# MEC_LAB=0.
export MEC_LAB=${MEC_LAB:-1}
lab_pid=
if [ "$MEC_LAB" = 1 ]; then
    # The lab's own virtualenvs build in parallel with the project's.
    (tools/lab/lab deps && tools/lab/lab build) > /tmp/mec-lab-build.log 2>&1 &
    lab_pid=$!
fi

ensure_venv "$top/.venv" "$top/test-requirements.txt" || { echo "virtualenv setup failed" >&2; exit 1; }
export VIRTUAL_ENV="$top/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"

if [ -n "$lab_pid" ] && ! wait "$lab_pid"; then
    echo "Building the OpenStack lab failed:" >&2
    tail -50 /tmp/mec-lab-build.log >&2
    exit 1
fi

summary() {
    # Passed/Failed/Skipped of the last stestr run.
    stestr --test-path "$1" last 2>/dev/null | awk '
        /^ - Passed:/ {p=$3} /^ - Failed:/ {f=$3} /^ - Skipped:/ {s=$3}
        END {print p+0, f+0, s+0}'
}

status=0
echo "== Unit tests" >&2
stestr --test-path ./mec_orchestrator/tests/unit run || status=1
read -r up uf us < <(summary ./mec_orchestrator/tests/unit)

echo "== Functional tests" >&2
bash tools/run-functional.sh || status=1
read -r fp ff fs < <(summary ./mec_orchestrator/tests/functional)

echo "unit: $up passed, $uf failed, $us skipped; functional: $fp passed, $ff failed, $fs skipped" >&2
if [ $((up + fp)) -eq 0 ]; then
    echo "no test ran" >&2
    status=1
fi
echo "$((up + fp)) passed, $((uf + ff)) failed, $((us + fs)) skipped"
exit $status
