# 64 processes change the store at once: every change lands, none fails with "locked".
must nodedefine 'n[1-64]'
must nodegroupdefine shared
pids=()
for i in $(seq 1 64); do
  ( nodeattrib "n$i" custom.writer="w$i" >/dev/null 2>"err.$i" &&
    nodegroupattrib shared "nodes,=n$i" >/dev/null 2>>"err.$i"; echo $? > "rc.$i" ) &
  pids+=($!)
done
deadline=$((SECONDS + 120))
for pid in "${pids[@]}"; do
  while kill -0 "$pid" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "writers did not finish within 120 s"
    sleep 0.1
  done
done
for i in $(seq 1 64); do
  [ "$(cat "rc.$i")" = 0 ] || { err=$(cat "err.$i"); fail "writer $i failed"; }
done
! grep -l "locked" err.* >/dev/null 2>&1 || fail "a writer saw a locked database"
run nodeattrib 'n[1-64]' custom.writer
[ "$(grep -c ': custom.writer: w' <<<"$out")" = 64 ] || fail "lost attribute writes"
run noderange -c shared
expect_out 64
