# Helpers for CLI tests: run a command, then check its exit status, stdout and stderr.
#   run nodeattrib n1 location.rack      -> sets $out, $err, $rc
#   expect_rc 0; expect_out "n1: location.rack: 2"; expect_err_has "unknown attribute"

fail() {
  echo "FAIL: $*" >&2
  echo "--- command: ${last_cmd:-}" >&2
  echo "--- exit status: ${rc:-}" >&2
  echo "--- stdout:" >&2
  printf '%s\n' "${out:-}" | head -40 >&2
  echo "--- stderr:" >&2
  printf '%s\n' "${err:-}" | head -40 >&2
  exit 1
}

run() {
  last_cmd="$*"
  local ofile efile
  ofile=$(mktemp) efile=$(mktemp)
  "$@" >"$ofile" 2>"$efile" </dev/null
  rc=$?
  out=$(cat "$ofile") err=$(cat "$efile")
  rm -f "$ofile" "$efile"
}

# Like run, with stdin from the first argument.
run_input() {
  local input=$1
  shift
  last_cmd="$* <<< $input"
  local ofile efile
  ofile=$(mktemp) efile=$(mktemp)
  printf '%s' "$input" | "$@" >"$ofile" 2>"$efile"
  rc=$?
  out=$(cat "$ofile") err=$(cat "$efile")
  rm -f "$ofile" "$efile"
}

expect_rc() { [ "$rc" -eq "$1" ] || fail "expected exit status $1"; }
expect_out() { [ "$out" = "$1" ] || fail "stdout differs from: $(printf '\n%s' "$1")"; }
expect_err() { [ "$err" = "$1" ] || fail "stderr differs from: $(printf '\n%s' "$1")"; }
expect_out_has() { grep -qF -- "$1" <<<"$out" || fail "stdout lacks: $1"; }
expect_out_lacks() { ! grep -qF -- "$1" <<<"$out" || fail "stdout has: $1"; }
expect_err_has() { grep -qF -- "$1" <<<"$err" || fail "stderr lacks: $1"; }
expect_no_err() { [ -z "$err" ] || fail "stderr is not empty"; }

# Succeeds quietly or fails the test.
must() {
  run "$@"
  [ "$rc" -eq 0 ] || fail "command failed"
}

# A small cluster used by many tests: n1-n6 in compute (n1-n3 in rack1, n4-n6 in rack2).
make_cluster() {
  must nodegroupdefine compute
  must nodegroupdefine rack1 location.rack=1
  must nodegroupdefine rack2 location.rack=2
  must nodedefine 'n[1-6]' groups=compute
  must nodegroupattrib rack1 nodes=n1-n3
  must nodegroupattrib rack2 nodes=n4-n6
}
