make_cluster
result=$(bash -c '
  source "$SOURCE_DIR/completions/confluent-cpp.bash"
  COMP_WORDS=(nodeattrib n1 location.ra); COMP_CWORD=2
  _confluent_cpp
  printf "%s\n" "${COMPREPLY[@]}"')
[ "$result" = "location.rack" ] || fail "completion gave: $result"
