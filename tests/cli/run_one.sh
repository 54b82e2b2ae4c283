#!/usr/bin/env bash
# Runs one CLI test script with the built tools first on PATH and a private, empty
# CONFLUENT_ROOT that is removed afterwards.
#   run_one.sh SCRIPT BIN_DIR SOURCE_DIR
set -u
script=$1
export BIN_DIR=$2 SOURCE_DIR=$3
export PATH="$BIN_DIR:$PATH"
CONFLUENT_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/confluent-test.XXXXXX")
export CONFLUENT_ROOT
trap 'rm -rf "$CONFLUENT_ROOT"' EXIT
cd "$CONFLUENT_ROOT" || exit 1
# shellcheck source=lib.sh
source "$SOURCE_DIR/tests/cli/lib.sh"
[ -f "$script" ] || { echo "no such test script: $script" >&2; exit 1; }
# shellcheck disable=SC1090
source "$script"
echo "ok: $(basename "$script" .sh)"
