#!/bin/bash
# Runs a Python test script with the system's python3 (Bazel 4 has no
# offline Python toolchain here): run_python.sh SCRIPT ARGS...
exec python3 "$@"
