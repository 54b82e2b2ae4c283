#include "base/error.h"

namespace confluent {

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Runtime: return 1;
    case ErrorKind::Usage: return 2;
    case ErrorKind::NotFound: return 3;
    case ErrorKind::Invalid: return 4;
    case ErrorKind::Store: return 5;
  }
  return 1;
}

}  // namespace confluent
