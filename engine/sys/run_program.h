#pragma once
/// run_program: runs a short-lived helper program (a Docker credential helper) the way a
/// library call would: argv[0] searched on PATH, no shell, `input` written to its stdin, its
/// stdout and stderr collected, a deadline after which it is SIGKILLed and reaped. The child
/// gets this process's environment; it is always reaped before returning. Thread-safe.

#include "engine/base/result.h"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace wharf::sys {

struct ProgramOutput {
    int exit_code = 0; ///< Docker's convention: status, or 128 + signal
    std::string out;
    std::string err;
};

/// NotFound `exec NAME: No such file or directory` when the program is not on PATH;
/// Interrupted `NAME: timed out after N ms` when the deadline passes.
Result<ProgramOutput> run_program(
    const std::vector<std::string>& argv, std::string_view input, std::chrono::milliseconds timeout);

} // namespace wharf::sys
