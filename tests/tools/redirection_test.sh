#!/bin/bash
# Output that survives redirection. CI logs are files, and users write
# `cirque ... > log 2>&1`: the service and the CLI must leave whole lines,
# in the order they printed them, with no NUL bytes, also when stdout and
# stderr share the file, and a service killed with SIGKILL must not lose
# what it printed. (tools/test checks the README's commands, tools/setup
# and tools/example, the same way, with tools/check_log.)
# Usage: redirection_test.sh CIRQUE_BINARY CHECK_LOG
set -euo pipefail
cirque="$1"
check_log="$2"
work="$(mktemp -d)"
serve_pid=""
home=""
cleanup() {
  [[ -n $home ]] && "$cirque" home rm "$home" > /dev/null 2>&1 || true
  [[ -n $serve_pid ]] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

check_log() { "$check_log" "$@" || exit 1; }

# Waits (30 s) until FILE has a line matching PATTERN while PID lives.
wait_for_line() {  # FILE PATTERN PID
  local _
  for _ in $(seq 1 300); do
    grep -q "$2" "$1" && return 0
    kill -0 "$3" 2>/dev/null || fail "the process exited before printing '$2': $(cat "$1")"
    sleep 0.1
  done
  fail "no '$2' within 30 s in: $(cat "$1")"
}

# The service, stdout and stderr in one file, stopped with SIGTERM.
"$cirque" serve --listen 127.0.0.1:0 --state-dir "$work/serve-state" > "$work/serve.log" 2>&1 &
serve_pid=$!
wait_for_line "$work/serve.log" 'listening on' "$serve_pid"
port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.log")"
export CIRQUE_SERVER="http://127.0.0.1:$port"

# The CLI against it: a home made and shown, a command whose output goes
# to both streams, an error, bad usage.
echo '{"hub": {"type": "generic"}}' > "$work/home.json"
"$cirque" home create "$work/home.json" > "$work/create.log" 2>&1 || fail "home create: $(cat "$work/create.log")"
home="$(awk '/^home /{print $2; exit}' "$work/create.log")"
check_log "cirque home create" "$work/create.log" "^home $home" "hub +running"
"$cirque" node exec "$home" hub -- sh -c 'echo to-stdout; echo to-stderr >&2; exit 3' > "$work/exec.log" 2>&1 &&
  code=0 || code=$?
[[ $code == 3 ]] || fail "node exec: exit $code, not the command's 3"
# The command's output first, then its errors (as `cirque node exec`
# writes them: stdout flushed before stderr).
check_log "cirque node exec" "$work/exec.log" "^to-stdout$" "^to-stderr$"
if "$cirque" home show nope > "$work/error.log" 2>&1; then fail "home show of an unknown home succeeded"; fi
check_log "cirque home show (an error)" "$work/error.log" "^cirque: .*no home 'nope'"
[[ $(wc -l < "$work/error.log") == 1 ]] || fail "the error is not one line: $(cat "$work/error.log")"
if "$cirque" home frobnicate > "$work/usage.log" 2>&1; then fail "an unknown command succeeded"; fi
check_log "cirque home frobnicate (bad usage)" "$work/usage.log" "frobnicate"
"$cirque" home rm "$home" > "$work/rm.log" 2>&1 || fail "home rm: $(cat "$work/rm.log")"
home=""
check_log "cirque home rm" "$work/rm.log" "removed"

kill -TERM "$serve_pid"
wait "$serve_pid" || fail "cirque serve exited $? after SIGTERM: $(cat "$work/serve.log")"
serve_pid=""
check_log "cirque serve (SIGTERM)" "$work/serve.log" "state in" "listening on" "signal 15: stopping" \
  "stopped; homes destroyed"

# A service killed with SIGKILL keeps what it printed before.
"$cirque" serve --listen 127.0.0.1:0 --state-dir "$work/killed-state" > "$work/killed.log" 2>&1 &
killed_pid=$!
wait_for_line "$work/killed.log" 'listening on' "$killed_pid"
kill -KILL "$killed_pid"
wait "$killed_pid" 2>/dev/null || true
check_log "cirque serve (SIGKILL)" "$work/killed.log" "state in" "listening on"

# Commands without a service, which print then may fail.
unset CIRQUE_SERVER
"$cirque" features > "$work/features.log" 2>&1 || fail "features: $(cat "$work/features.log")"
check_log "cirque features" "$work/features.log" "hwsim (yes|no)"
"$cirque" reap > "$work/reap.log" 2>&1 || fail "reap: $(cat "$work/reap.log")"
check_log "cirque reap" "$work/reap.log" "^reaped [0-9]+ containers"
echo "PASS: the service's and the CLI's output, redirected to files, is whole and in order"
