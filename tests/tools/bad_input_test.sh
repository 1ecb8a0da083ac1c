#!/bin/bash
# Bad input where a user types it: the CLI's arguments and the environment
# variables cirque reads. Each case must exit non-zero (1: refused, 2: bad
# usage) within 60 s, never crash, and print on stderr one error naming
# the field, the value given and the fix.
# Usage: bad_input_test.sh CIRQUE_BINARY
set -euo pipefail
cirque="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
cases=0

# expect EXIT "SUBSTRING|SUBSTRING..." [VAR=value...] -- ARGS...
expect() {
  local want_exit="$1" parts="$2"; shift 2
  local env_args=()
  while [[ $1 != -- ]]; do env_args+=("$1"); shift; done
  shift
  cases=$((cases + 1))
  local code=0
  timeout 60 env "${env_args[@]}" "$cirque" "$@" > "$work/out" 2> "$work/err" || code=$?
  local what="${env_args[*]} cirque $*"
  if [[ $code != "$want_exit" ]]; then
    echo "FAIL: $what: exit $code, not $want_exit; stderr: $(cat "$work/err")"
    failures=$((failures + 1))
    return
  fi
  local part
  IFS='|' read -r -a wanted <<< "$parts"
  for part in "${wanted[@]}"; do
    if ! grep -qF -- "$part" "$work/err"; then
      echo "FAIL: $what: stderr lacks '$part': $(cat "$work/err")"
      failures=$((failures + 1))
      return
    fi
  done
  echo "ok: $what -> $(head -n 1 "$work/err")"
}

printf '{"n": {"wifi": {"ssid": "x"}}}' > "$work/wifi-without-capability.json"
printf '{"n": ' > "$work/cut.json"
printf '{"n": {"base_image": "a b"}}' > "$work/blank-image.json"

# The engine's address.
expect 1 "DOCKER_HOST|ftp://x|unix:///" DOCKER_HOST=ftp://x -- features
expect 1 "DOCKER_HOST|notaport|tcp://host:port" DOCKER_HOST=tcp://host:notaport -- features
expect 1 "tcp://127.0.0.1:1|unreachable|tools/setup" DOCKER_HOST=tcp://127.0.0.1:1 -- features
expect 1 "unix://$work/none.sock|unreachable" DOCKER_HOST="unix://$work/none.sock" -- features
# The service's address.
expect 1 "\$CIRQUE_SERVER|notaurl|http://HOST:PORT" CIRQUE_SERVER=notaurl -- home list
expect 1 "--server|ftp://h|http://HOST:PORT" -- home list --server ftp://h
expect 1 "http://127.0.0.1:1|cirque serve" CIRQUE_SERVER=http://127.0.0.1:1 -- home list
expect 1 "--listen|nohost|HOST:PORT" -- serve --listen nohost
expect 1 "--listen|99999|0..65535" -- serve --listen 127.0.0.1:99999
# Images.
expect 1 "nosuchimage|known images" -- images build nosuchimage
expect 1 "/nonexistent|--images-dir" CIRQUE_IMAGES_DIR=/nonexistent -- images build base
# Home specs given to the CLI (made without a service, in a folder of ours).
expect 1 "$work/none.json|cannot be read" XDG_STATE_HOME="$work/state" -- home create "$work/none.json"
expect 1 "not valid JSON" XDG_STATE_HOME="$work/state" -- home create "$work/cut.json"
expect 1 "node 'n'|wifi|needs capability WiFi" XDG_STATE_HOME="$work/state" -- home create "$work/wifi-without-capability.json"
expect 1 "base_image 'a b'|repo/name:tag" XDG_STATE_HOME="$work/state" -- home create "$work/blank-image.json"
expect 1 "no home 'nope'" XDG_STATE_HOME="$work/state" -- home show nope
# Usage.
expect 2 "ID is required" -- home show
expect 2 "cirque home: 'frobnicate' is not a command|create" -- home frobnicate
expect 2 "cirque vm: a command is needed|up" -- vm
expect 2 "cirque: 'hom' is not a command|home" -- hom
expect 2 "--bogus" -- features --bogus

echo "$cases cases, $failures failed"
[[ $failures == 0 ]]
