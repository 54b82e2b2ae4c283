#!/usr/bin/env bash
# Every tool's --help and its man page list the same options, each entry with the same
# spellings; --help prints to stdout and exits 0; an unknown option exits 2 with a message
# on stderr and nothing on stdout.
#   man_matches_help.sh BIN_DIR SOURCE_DIR
set -u
usage="usage: man_matches_help.sh BIN_DIR SOURCE_DIR"
bin=${1:?$usage}
src=${2:?$usage}
[ -d "$src/tools" ] || { echo "man_matches_help: no tools directory in '$src'" >&2; exit 2; }

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() {
  echo "man_matches_help: $*" >&2
  failed=$((failed + 1))
}

# A private, empty state root: nothing here may touch a real attribute store.
root=$(mktemp -d "${TMPDIR:-/tmp}/man-lint.XXXXXX")
trap 'rm -rf "$root"' EXIT
export CONFLUENT_ROOT=$root

# One line per option entry of CLI11 --help, its spellings space-separated, e.g.
#   "  -m,--maxnodes N           Ask ..."  ->  "-m --maxnodes"
# Entries are the lines of the "Options:" section whose first word starts with '-'.
help_entries() {
  awk '
    /^[^ \t]/ { in_options = ($0 ~ /^Options:/); next }
    in_options && /^[ \t]+-/ {
      n = split($1, names, ",")
      line = ""
      for (i = 1; i <= n; i++) {
        if (names[i] ~ /^-/ && names[i] != "--_complete") line = line (line == "" ? "" : " ") names[i]
      }
      if (line != "") print line
    }'
}

# The same from an scdoc page: entry lines of the OPTIONS section, such as
#   "*-m*, *--maxnodes* _N_"  ->  "-m --maxnodes"
man_entries() {
  awk '
    /^# / { in_options = ($0 ~ /^# OPTIONS[ \t]*$/); next }
    in_options && /^\*-/ {
      line = ""
      rest = $0
      while (match(rest, /\*-[-A-Za-z0-9_]*\*/)) {
        name = substr(rest, RSTART + 1, RLENGTH - 2)
        line = line (line == "" ? "" : " ") name
        rest = substr(rest, RSTART + RLENGTH)
      }
      if (line != "") print line
    }' "$1"
}

# Spellings in the first list and not in the second, comma-separated.
missing_from() {
  comm -23 <(tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -u) <(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort -u) |
    paste -sd, - | sed 's/,/, /g'
}

tools=()
for dir in "$src"/tools/*/; do
  [ -d "$dir" ] && tools+=("$(basename "$dir")")
done
[ ${#tools[@]} -gt 0 ] || { echo "man_matches_help: no tool under '$src/tools'" >&2; exit 1; }

for tool in "${tools[@]}"; do
  exe=$bin/$tool
  page=$src/man/$tool.1.scd
  [ -f "$page" ] || page=$src/man/$tool.8.scd  # services
  if [ ! -x "$exe" ]; then
    bad "$tool: '$exe' is not built"
    continue
  fi

  # --help: exit 0, text on stdout, nothing on stderr.
  help=$("$exe" --help 2>"$root/err" </dev/null)
  rc=$?
  if [ "$rc" -ne 0 ]; then
    bad "$tool: --help exited with status $rc, not 0"
  elif [ -z "$help" ]; then
    bad "$tool: --help printed nothing on stdout"
  elif [ -s "$root/err" ]; then
    bad "$tool: --help wrote to stderr: $(head -c 200 "$root/err")"
  else
    ok
  fi

  # The options of --help and of the man page's OPTIONS section agree.
  if [ ! -f "$page" ]; then
    bad "$tool: no man page '$page'"
  else
    from_help=$(help_entries <<<"$help" | sort)
    from_man=$(man_entries "$page" | sort)
    only_help=$(missing_from "$from_help" "$from_man")
    only_man=$(missing_from "$from_man" "$from_help")
    # Entries whose spellings are all documented but grouped differently (-b with --clear).
    regrouped=$(comm -3 <(printf '%s\n' "$from_help") <(printf '%s\n' "$from_man") | sed 's/^\t//' |
      sed '/^$/d' | paste -sd';' - | sed 's/;/; /g')
    if [ -z "$from_help" ]; then
      bad "$tool: found no option in the output of --help"
    elif [ -z "$from_man" ]; then
      bad "$tool: found no option entry (*-x*, *--long*) in the OPTIONS section of $page"
    elif [ -n "$only_help" ] || [ -n "$only_man" ]; then
      [ -n "$only_help" ] && bad "$tool: in --help but not in $tool.1.scd: $only_help"
      [ -n "$only_man" ] && bad "$tool: in $tool.1.scd but not in --help: $only_man"
    elif [ -n "$regrouped" ]; then
      bad "$tool: option entries differ between --help and $tool.1.scd: $regrouped"
    else
      ok
    fi
  fi

  # An unknown option: exit 2, a message on stderr, nothing on stdout.
  out=$("$exe" --bogus-option 2>"$root/err" </dev/null)
  rc=$?
  if [ "$rc" -ne 2 ]; then
    bad "$tool: --bogus-option exited with status $rc, not 2"
  elif [ -n "$out" ]; then
    bad "$tool: --bogus-option printed on stdout: $(head -c 200 <<<"$out")"
  elif [ ! -s "$root/err" ]; then
    bad "$tool: --bogus-option printed no message on stderr"
  else
    ok
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
