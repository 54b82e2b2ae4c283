#include "base/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "base/error.h"
#include "base/strings.h"

extern char** environ;

namespace confluent {

namespace {

// This process's environment with `changes` applied; the strings live in `storage`.
std::vector<char*> environment(const EnvChanges& changes, std::vector<std::string>& storage) {
  for (char** e = environ; *e != nullptr; ++e) storage.emplace_back(*e);
  for (const auto& change : changes) {
    std::string name = change.substr(0, change.find('='));
    std::erase_if(storage, [&](const std::string& e) { return e.compare(0, name.size() + 1, name + "=") == 0; });
    if (change.find('=') != std::string::npos) storage.push_back(change);
  }
  std::vector<char*> out;
  for (auto& e : storage) out.push_back(e.data());
  out.push_back(nullptr);
  return out;
}

// posix_spawnp of argv with `actions` and the changed environment; 0 or an errno.
int spawn(const std::vector<std::string>& argv, const posix_spawn_file_actions_t* actions, const EnvChanges& env,
          pid_t* pid) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> storage;
  return posix_spawnp(pid, args[0], actions, nullptr, args.data(), environment(env, storage).data());
}

}  // namespace

bool run_program(const std::vector<std::string>& argv, std::string* error, const EnvChanges& env) {
  int out[2];
  if (argv.empty() || pipe2(out, O_CLOEXEC) != 0) {
    if (error) *error = "cannot start a program";
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  pid_t pid = 0;
  int rc = spawn(argv, &actions, env, &pid);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  if (rc != 0) {
    if (error) *error = "cannot run " + argv[0] + " (is it installed?)";
    return false;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
  if (error) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (auto nl = text.rfind('\n'); nl != std::string::npos) text = text.substr(nl + 1);
    *error = !text.empty() ? text
             : WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                 : "killed by signal " + std::to_string(WTERMSIG(status));
  }
  return false;
}

void run_program_or_throw(const std::vector<std::string>& argv, const EnvChanges& env) {
  std::string why;
  if (!run_program(argv, &why, env)) throw Error(ErrorKind::Runtime, argv.at(0) + " failed: " + why);
}

int run_program_visible(const std::vector<std::string>& argv, const EnvChanges& env) {
  if (argv.empty()) throw Error(ErrorKind::Runtime, "cannot run an empty command");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);
  pid_t pid = 0;
  int rc = spawn(argv, &actions, env, &pid);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(ErrorKind::Runtime, "cannot run " + argv[0] + " (is it installed?)");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Error(ErrorKind::Runtime, "cannot wait for " + argv[0]);
  }
  return exit_status(status);
}

pid_t spawn_program(const std::vector<std::string>& argv, int in, int out, int err) {
  if (argv.empty()) throw Error(ErrorKind::Runtime, "cannot run an empty command");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in, 0);
  posix_spawn_file_actions_adddup2(&actions, out, 1);
  posix_spawn_file_actions_adddup2(&actions, err, 2);
  pid_t pid = 0;
  int rc = spawn(argv, &actions, {}, &pid);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(ErrorKind::Runtime, "cannot run " + argv[0] + " (is it installed?)");
  return pid;
}

int exit_status(int wait_status) {
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 1;
}

std::optional<std::filesystem::path> find_program(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) == 0) return std::filesystem::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  for (const auto& dir : split(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin", ':')) {
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

}  // namespace confluent
