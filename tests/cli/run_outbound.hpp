#pragma once
// Runs the built `outbound` program with arguments and captures its exit code and output, for tests
// of the command-line contract (exit codes, messages).

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <string>

namespace outbound::testing {

struct run_result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline run_result run_shell(const std::string& command) {
  run_result r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    r.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline run_result run_outbound(const std::string& arguments) {
  return run_shell(std::string(OUTBOUND_BINARY) + " " + arguments);
}

inline std::string source_path(const std::string& relative) {
  return std::string(OUTBOUND_SOURCE_DIR) + "/" + relative;
}

}  // namespace outbound::testing
