#pragma once
// osdeploy reads and writes its files with base's whole-file helpers (readers such as the web
// server never see half a file); the names stay reachable as osdeploy::read_file and so on.
#include "base/files.h"
#include "osdeploy/layout.h"

namespace confluent::osdeploy {

using confluent::read_file;
using confluent::write_file_atomic;

}  // namespace confluent::osdeploy
