#pragma once
// Running a helper program (ssh-keygen, mformat, mcopy...) without a shell and waiting for it.
#include <string>
#include <vector>

namespace confluent {

// Runs argv[0] (found on PATH) with its output captured. Returns true when it exits 0;
// otherwise, when `error` is given, it gets the last line the program printed (or its exit
// status).
bool run_program(const std::vector<std::string>& argv, std::string* error = nullptr);

// As run_program, but a failure throws confluent::Error (Runtime): "<program> failed: <why>".
void run_program_or_throw(const std::vector<std::string>& argv);

}  // namespace confluent
