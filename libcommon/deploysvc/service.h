#pragma once
// The deployment service's request handling (spec §5.7, §5.8), free of any HTTP library:
//   /confluent-public/...                       files of var/lib/confluent/public
//   /confluent-api/boot/by-mac|by-uuid|by-node/<id>/<file>
//                                               302 to the node's pending profile's boot.<file>
//   /confluent-api/self/...                     the API nodes use while they deploy
// Thread-safe: the server calls handle() from several threads.
#include <filesystem>
#include <memory>

#include "deploysvc/http.h"

namespace confluent::deploysvc {

class NodeStore;

class Service {
 public:
  Service();
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  Response handle(const Request& request);

 private:
  Response boot(const Request& request, std::string_view rest);
  Response self(const Request& request, std::string_view rest);

  std::unique_ptr<NodeStore> store_;
  std::filesystem::path public_root_;
  std::filesystem::path private_root_;
};

}  // namespace confluent::deploysvc
