#pragma once
// Running a helper program (ssh-keygen, mformat, mcopy...) without a shell and waiting for it.
#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace confluent {

// Changes to the environment a program gets: "NAME=value" sets NAME, "NAME" removes it.
using EnvChanges = std::vector<std::string>;

// Runs argv[0] (found on PATH) with its output captured. Returns true when it exits 0;
// otherwise, when `error` is given, it gets the last line the program printed (or its exit
// status).
bool run_program(const std::vector<std::string>& argv, std::string* error = nullptr, const EnvChanges& env = {});

// As run_program, but a failure throws confluent::Error (Runtime): "<program> failed: <why>".
void run_program_or_throw(const std::vector<std::string>& argv, const EnvChanges& env = {});

// Runs argv[0] (found on PATH) in plain view: stdin and stderr are the caller's, and its
// stdout goes to the caller's stderr, so that its progress never mixes with a tool's data.
// Returns its exit status (see exit_status()); throws Runtime "cannot run <program> (is it
// installed?)" when it cannot start.
int run_program_visible(const std::vector<std::string>& argv, const EnvChanges& env = {});

// Starts argv[0] (found on PATH) with `in`, `out` and `err` as its standard input, output and
// error, and returns its pid for the caller to wait for. Throws Runtime "cannot run <program>
// (is it installed?)" when it cannot start.
pid_t spawn_program(const std::vector<std::string>& argv, int in, int out, int err);

// A waitpid() status as a shell reports it: the exit code, or 128+N when killed by signal N.
int exit_status(int wait_status);

// `name` as execvp would find it on PATH, or std::nullopt.
std::optional<std::filesystem::path> find_program(const std::string& name);

}  // namespace confluent
