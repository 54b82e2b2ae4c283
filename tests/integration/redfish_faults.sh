# Misbehaving Redfish BMCs: each fault hits one node, is reported on that node's line, and
# never stalls or breaks the others.
source "$SOURCE_DIR/tests/integration/redfish/common.sh"
start_fleet "nslow:$((base + 5)):generic:slow=1" "nhang:$((base + 6)):generic:hang=1"
must nodedefine nslow,nhang groups=rf
must nodeattrib nslow bmc="127.0.0.1:$((base + 5))"
must nodeattrib nhang bmc="127.0.0.1:$((base + 6))"
must nodedefine ndead groups=rf bmc="127.0.0.1:$((base + 9))"

# A slow BMC answers late but is waited for (within -t); a hung one and a dead one are
# reported; the fast ones print first.
start=$(date +%s%N)
run nodepower -t 3 "$all_nodes,nslow,nhang,ndead"
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
expect_rc 1
[ "$(grep -c ': off$' <<<"$out")" = 6 ] || fail "the fast and the slow nodes answer: $out"
[ "$(tail -1 <<<"$out")" = "nslow: off" ] || fail "the slow node should print last: $out"
expect_err_has "nhang: error:"
expect_err_has "timed out"
expect_err_has "ndead: error: cannot talk to BMC 127.0.0.1:$((base + 9))"
[ "$elapsed" -lt 20000 ] || fail "took ${elapsed} ms"

# Transient 500s on reads are retried; a BMC that keeps failing is reported.
ctl ngen faults '{"error500": 2}'
run nodepower ngen
expect_rc 0
expect_out "ngen: off"
ctl ngen faults '{"error500": "always"}'
run nodepower ngen,ndell
expect_rc 1
expect_out "ndell: off"
expect_err_has "ngen: error: GET /redfish/v1/ answered HTTP 500"
ctl ngen faults '{}'

# iDRAC's SYS518 "not ready" is retried for every method, changes included.
ctl ndell faults '{"sys518": 2}'
run nodepower ndell on
expect_rc 0
expect_out "ndell: on"
expect_state ndell "s['power']" On

# Invalid JSON is named as such.
ctl nhpe faults '{"badjson": true}'
run nodepower nhpe
expect_rc 1
expect_err_has "nhpe: error: BMC sent invalid JSON for /redfish/v1/"
ctl nhpe faults '{}'

# No free session slot: Basic authentication instead, and nothing is left open.
ctl nsmc faults '{"noslots": true}'
run nodepower nsmc on
expect_rc 0
expect_out "nsmc: on"
expect_state nsmc "s['counters']['basic'] > 0" True
expect_no_sessions nsmc
ctl nsmc faults '{}'

# Reset through a task monitor (202 + Location, Retry-After).
ctl nxcc faults '{"tasks": true}'
run nodepower nxcc on
expect_rc 0
expect_out "nxcc: on"
expect_state nxcc "s['power']" On
ctl nxcc faults '{}'

# Wrong password: refused by name; the BMC is not hammered with retries.
must nodeattrib ngen bmcpass=wrong
run nodepower ngen
expect_rc 1
expect_err_has "ngen: error: BMC 127.0.0.1:${bmc_port[ngen]} refused the login: wrong user or password"
must nodeattrib ngen bmcpass=secret
expect_no_sessions ngen ndell nhpe nxcc nsmc
