# Shared by the deployment service's tests (sourced).

# stop PID: PID is a `timeout` wrapper, which passes SIGTERM on to its command. A bounded
# wait, then SIGKILL to both (SIGKILL to the wrapper alone would leave the command running).
stop() {
  local pid=$1 kids
  [ -n "$pid" ] || return 0
  kids=$(pgrep -P "$pid")
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  # shellcheck disable=SC2086  # one pid per word
  kill -0 "$pid" 2>/dev/null && kill -9 $kids "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}
