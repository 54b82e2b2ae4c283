#pragma once
// What imgutil capture and its node-side script (capture/capture-node.sh) exchange over ssh.
// To the node: the script, after a shell function imgutil_payload that recreates a directory
// of text files (the boot hook). From the node, on the script's stdout, a stream of files:
//   IMGUTIL-CAPTURE 1\n
//   FILE <size> <name>\n<size bytes>      (any number of times)
//   END\n
// Lines a login script prints before the first one are skipped.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace confluent::imgutil {

// Progress of one file of a stream: its name, bytes received, its size.
using ReceiveProgress = std::function<void(const std::string& name, uint64_t done, uint64_t size)>;

// Reads a stream from `fd` until END, writing each file under `dir` (mode 0600, parent
// directories made). Returns the names received, in order. A name must be relative, made of
// [A-Za-z0-9._+-] components, neither "." nor "..", and unique. Throws Runtime "the stream
// ended early" at end of file before END, Invalid "corrupt stream (...)" otherwise. A read
// interrupted by a signal throws Runtime "interrupted" when `interrupted` says so, and goes
// on otherwise.
std::vector<std::string> receive_stream(int fd, const std::filesystem::path& dir, const ReceiveProgress& progress = {},
                                        const std::function<bool()>& interrupted = {});

// A POSIX sh function `imgutil_payload DIR` that recreates the directories and files under
// `source` (links followed) in DIR, with their permission bits, through here-documents. Files
// must be text: a NUL byte throws Invalid "<file>: not a text file"; a last line without a
// newline gets one. The function returns 1 when a command fails.
std::string shell_payload(const std::filesystem::path& source);

// `word` quoted for a POSIX shell: '...' with each ' written as '\''.
std::string shell_quote(const std::string& word);

}  // namespace confluent::imgutil
