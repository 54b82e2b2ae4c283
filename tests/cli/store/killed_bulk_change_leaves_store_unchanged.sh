# A process killed in the middle of a bulk change leaves the store as it was.
must nodedefine 'keep[1-3]'
nodedefine 'bulk[1-1000000]' location.rack=1 >/dev/null 2>&1 &
pid=$!
wal="$CONFLUENT_ROOT/etc/confluent/cfg/attributes.sqlite-wal"
for _ in $(seq 1 600); do
  size=$(stat -c %s "$wal" 2>/dev/null || echo 0)
  [ "$size" -gt 4000000 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -0 "$pid" 2>/dev/null || fail "the bulk change ended before it could be interrupted"
kill -9 "$pid"
wait "$pid" 2>/dev/null
run nodelist
expect_rc 0
expect_out $'keep1\nkeep2\nkeep3'
must nodedefine keep4
run nodeattrib keep4 id.index
expect_out "keep4: id.index: 4"
