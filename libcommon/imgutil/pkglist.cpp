#include "imgutil/pkglist.h"

#include <algorithm>

#include "base/error.h"
#include "base/files.h"
#include "base/strings.h"

namespace confluent::imgutil {

namespace fs = std::filesystem;

namespace {

class ListReader {
 public:
  explicit ListReader(const PackageTarget& target) : target_(target) {}

  void read(const fs::path& list, std::vector<std::string>& out) {
    std::error_code ec;
    fs::path key = fs::weakly_canonical(list, ec);  // the same list by any path
    if (ec) key = fs::absolute(list).lexically_normal();
    if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
      std::string chain;
      for (const auto& p : stack_) chain += p.string() + " -> ";
      throw Error(ErrorKind::Invalid, "package list include cycle: " + chain + key.string());
    }
    std::string text = read_file(list);
    stack_.push_back(key);
    bool open = true;
    auto lines = split(text, '\n');
    for (size_t n = 0; n < lines.size(); ++n) {
      std::string where = list.string() + ":" + std::to_string(n + 1) + ": ";
      std::string_view line = lines[n];
      line = line.substr(0, line.find('#'));
      auto words = split_words(line);
      if (words.empty()) continue;
      if (words[0][0] == '%') {
        open = gate(words, where);
        continue;
      }
      if (!open) continue;
      for (const auto& word : words) {
        if (word[0] == '<') {
          include(list, word, where, out);
        } else {
          out.push_back(word);
        }
      }
    }
    stack_.pop_back();
  }

 private:
  // Whether the lines after a directive are read.
  bool gate(const std::vector<std::string>& words, const std::string& where) const {
    const std::string* value = words[0] == "%onlyarch"       ? &target_.arch
                               : words[0] == "%onlyversions" ? &target_.version
                                                             : nullptr;
    if (value == nullptr) {
      throw Error(ErrorKind::Invalid, where + "unknown directive '" + words[0] + "' (only %onlyarch, %onlyversions)");
    }
    if (words.size() < 2) throw Error(ErrorKind::Invalid, where + words[0] + " needs at least one value");
    return std::find(words.begin() + 1, words.end(), *value) != words.end();
  }

  void include(const fs::path& list, const std::string& word, const std::string& where, std::vector<std::string>& out) {
    std::string name = word.substr(1);
    if (!name.empty() && name.back() == '>') name.pop_back();
    if (name.empty()) throw Error(ErrorKind::Invalid, where + "'" + word + "' includes no file");
    fs::path target = fs::path(name).is_absolute() ? fs::path(name) : list.parent_path() / name;
    try {
      read(target, out);
    } catch (const Error& e) {
      std::string message = e.what();
      // The innermost failure says what went wrong; each level adds where it was included.
      throw Error(e.kind(), message.rfind("package list include cycle", 0) == 0 ? message : where + message);
    }
  }

  const PackageTarget& target_;
  std::vector<fs::path> stack_;
};

}  // namespace

std::vector<std::string> read_package_list(const fs::path& list, const PackageTarget& target) {
  std::vector<std::string> out;
  ListReader(target).read(list, out);
  return out;
}

std::vector<std::string> read_package_lists(const fs::path& main, const std::vector<fs::path>& added,
                                            const PackageTarget& target) {
  std::vector<std::string> out = read_package_list(main, target);
  for (const auto& list : added) {
    auto more = read_package_list(list, target);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

}  // namespace confluent::imgutil
