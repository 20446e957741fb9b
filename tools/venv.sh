# Sourced by the tools: builds (or reuses) the project's virtualenv.
#
# ensure_venv DIR [EXTRA_REQUIREMENT_FILES...]
#   Creates DIR with python3 -m venv when absent, installs the project in
#   development mode with the versions pinned in upper-constraints.txt, and
#   skips all of it when nothing it depends on changed since the last run.

ensure_venv() {
    local venv=$1; shift
    local top
    top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    local files=("$top/requirements.txt" "$top/upper-constraints.txt" "$top/setup.cfg" "$@")
    local stamp
    stamp=$(cat "${files[@]}" | sha256sum | cut -c1-16)
    if [ -f "$venv/.mec-stamp" ] && [ "$(cat "$venv/.mec-stamp")" = "$stamp" ]; then
        return 0
    fi
    local python=${PYTHON:-python3}
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -U pip wheel setuptools >/dev/null
    local reqs=(-r "$top/requirements.txt")
    local f
    for f in "$@"; do reqs+=(-r "$f"); done
    echo "Installing into $venv (pinned by upper-constraints.txt)..." >&2
    "$venv/bin/pip" install -q --disable-pip-version-check \
        -c "$top/upper-constraints.txt" "${reqs[@]}" -e "$top"
    echo "$stamp" > "$venv/.mec-stamp"
}
