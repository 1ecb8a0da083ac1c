#!/bin/bash
# The `cirque home` and `cirque node` commands against `cirque serve` on
# the real engine: make a home from a spec file, list and show it, run
# commands (the exit code comes through), add a node, read a log, remove
# the home; errors are one line on stderr and exit 1.
# Usage: cli_test.sh CIRQUE_BINARY
set -euo pipefail
cirque="$1"
work="$(mktemp -d)"
serve_pid=""
local_home=""
cleanup() {
  [[ -n $serve_pid ]] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" || true
  # The CLI's own homes outlive it by design: a failed run removes its one.
  [[ -n $local_home ]] && env -u CIRQUE_SERVER XDG_STATE_HOME="$work/state" "$cirque" home rm "$local_home" || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cirque" serve --listen 127.0.0.1:0 > "$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 300); do
  grep -q 'listening on' "$work/serve.log" && break
  kill -0 "$serve_pid" 2>/dev/null || fail "cirque serve exited: $(cat "$work/serve.log")"
  sleep 0.1
done
port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.log")"
[[ -n $port ]] || fail "cirque serve did not say where it listens: $(cat "$work/serve.log")"
export CIRQUE_SERVER="http://127.0.0.1:$port"

echo '{"hub": {"type": "generic", "capability": ["Interactive"]}}' > "$work/home.json"
"$cirque" home create "$work/home.json" > "$work/create.out"
home="$(awk '/^home /{print $2; exit}' "$work/create.out")"
[[ -n $home ]] || fail "no home id in: $(cat "$work/create.out")"
grep -q 'hub *running' "$work/create.out" || fail "hub not running: $(cat "$work/create.out")"
"$cirque" home list | grep -q "^$home .*hub" || fail "home list lacks $home"
"$cirque" home show "$home" --json | grep -q '"name": "hub"' || fail "home show --json lacks hub"

out="$("$cirque" node exec "$home" hub -- sh -c 'echo "a b"; exit 7')" && code=0 || code=$?
[[ $code == 7 && $out == "a b" ]] || fail "node exec: exit $code, output '$out'"

echo '{"lamp": {}}' > "$work/lamp.json"
"$cirque" node add "$home" "$work/lamp.json" | grep -q "node lamp added" || fail "node add"
"$cirque" node exec "$home" lamp -- true || fail "exec in the added node"
"$cirque" node logs "$home" hub --tail 5 > /dev/null || fail "node logs"

if "$cirque" node exec "$home" fridge -- true 2> "$work/err"; then fail "exec in an unknown node succeeded"; fi
grep -q "no device 'fridge'" "$work/err" || fail "unclear error: $(cat "$work/err")"
[[ $(wc -l < "$work/err") == 1 ]] || fail "the error is not one line: $(cat "$work/err")"
if "$cirque" home show nope 2> "$work/err"; then fail "home show of an unknown home succeeded"; fi
grep -q "no home 'nope'" "$work/err" || fail "unclear error: $(cat "$work/err")"

"$cirque" home rm "$home" | grep -q "removed" || fail "home rm"
"$cirque" home list --json | grep -q '"homes": \[\]' || fail "homes left: $("$cirque" home list)"
kill -TERM "$serve_pid"; wait "$serve_pid"; serve_pid=""
grep -q "homes destroyed" "$work/serve.log" || fail "serve did not stop cleanly: $(cat "$work/serve.log")"
if "$cirque" home list 2> "$work/err"; then fail "home list without a service succeeded"; fi
grep -q "cirque serve" "$work/err" || fail "no fix in: $(cat "$work/err")"
echo "PASS: cirque home/node commands against a service"

# Without a service: the commands make and drive homes themselves, and a
# home outlives the command that made it (each command adopts it and leaves
# it running) until `home rm`.
unset CIRQUE_SERVER
export XDG_STATE_HOME="$work/state"
"$cirque" home create "$work/home.json" > "$work/local.out" || fail "local home create: $(cat "$work/local.out")"
local_home="$(awk '/^home /{print $2; exit}' "$work/local.out")"
[[ -n $local_home ]] || fail "no home id in: $(cat "$work/local.out")"
grep -q 'hub *running' "$work/local.out" || fail "local hub not running: $(cat "$work/local.out")"
"$cirque" home list | grep -q "^$local_home home-1: hub" || fail "local home list: $("$cirque" home list)"
out="$("$cirque" node exec "$local_home" hub -- sh -c 'echo here; exit 5')" && code=0 || code=$?
[[ $code == 5 && $out == "here" ]] || fail "local node exec: exit $code, output '$out'"
"$cirque" node add "$local_home" "$work/lamp.json" | grep -q "node lamp added" || fail "local node add"
lamp_ip="$("$cirque" home show "$local_home" --json | python3 -c 'import json,sys; print([n["ipv4_address"] for n in json.load(sys.stdin)["nodes"] if n["name"] == "lamp"][0])')"
"$cirque" node exec "$local_home" hub -- ping -c 1 -W 5 "$lamp_ip" > /dev/null || fail "hub does not reach the added lamp"
# Commands on one folder wait for each other; two at once both succeed.
"$cirque" node exec "$local_home" hub -- true & other=$!
"$cirque" node exec "$local_home" lamp -- true || fail "a command beside another failed"
wait "$other" || fail "the other command failed"
# The reaper a test run starts with leaves the CLI's homes alone.
"$cirque" reap > /dev/null
"$cirque" home show "$local_home" | grep -q "lamp *running" || fail "cirque reap took the CLI's home"
if "$cirque" home show "$home" 2> "$work/err"; then fail "the CLI adopted a home it did not make"; fi
grep -q "no home '$home' made by the CLI" "$work/err" || fail "unclear error: $(cat "$work/err")"
"$cirque" home rm "$local_home" | grep -q "removed" || fail "local home rm"
removed_home="$local_home"; local_home=""
"$cirque" home list --json | grep -q '"homes": \[\]' || fail "local homes left: $("$cirque" home list)"
left="$(python3 - "$removed_home" <<'PY'
import http.client, json, os, socket, sys, urllib.parse
host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
if host.startswith("tcp://"):
    connection = http.client.HTTPConnection(host[len("tcp://"):], timeout=30)
else:
    connection = http.client.HTTPConnection("localhost", timeout=30)
    connection.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.sock.connect(host[len("unix://"):])
filters = urllib.parse.quote(json.dumps({"label": ["cirque.home=" + sys.argv[1]]}))
connection.request("GET", "/containers/json?all=1&filters=" + filters)
print(len(json.loads(connection.getresponse().read())))
PY
)"
[[ $left == 0 ]] || fail "$left containers of the local home left"
echo "PASS: cirque home/node commands without a service"
