#!/usr/bin/env bash
# Each libcommon module may include only itself and the modules above it.
#   module_layers.sh BIN_DIR SOURCE_DIR
set -u
src=${2:?usage: module_layers.sh BIN_DIR SOURCE_DIR}/libcommon
declare -A allowed=(
  [base]="base"
  [noderange]="base noderange"
  [output]="base output"
  [attrdb]="base noderange attrdb"
  [fanout]="base fanout"
  [bmc]="base noderange attrdb fanout ipmi redfish bmc"
  [cli]="base noderange output attrdb fanout ipmi redfish bmc osdeploy imgutil cli"
  [osdeploy]="base noderange attrdb osdeploy"
  [deploysvc]="base noderange attrdb osdeploy deploysvc"
  [imgutil]="base noderange attrdb osdeploy imgutil"
  [redfish]="base fanout redfish"
  [ipmi]="base fanout ipmi"
)
passed=0 failed=0
for module in "${!allowed[@]}"; do
  [ -d "$src/$module" ] || continue
  while IFS=: read -r file _ line; do
    used=$(sed -E 's/.*#include "([^/]+)\/.*/\1/' <<<"$line")
    if [[ " ${allowed[$module]} " == *" $used "* ]]; then
      passed=$((passed + 1))
    else
      echo "layering: $file includes $used, which $module may not use" >&2
      failed=$((failed + 1))
    fi
  done < <(grep -n '#include "[a-z_]*/' "$src/$module"/*.{h,cpp} 2>/dev/null)
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
