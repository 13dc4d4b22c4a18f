#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace outbound::cli {

namespace {
// Often enough to see a CI job is alive, rarely enough not to flood its log.
constexpr auto log_every = std::chrono::seconds(10);
}  // namespace

progress_output::progress_output(bool asked)
    : terminal_(::isatty(STDOUT_FILENO) == 1), asked_(asked) {}

void progress_output::show(const std::string& text, bool last) {
  if (terminal_) {
    fmt::print("\r{}\033[K", text);
    std::fflush(stdout);
    drawn_ = true;
    return;
  }
  if (!asked_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!last && drawn_ && now - written_ < log_every) return;
  if (text == last_text_) return;
  fmt::print("{}\n", text);
  last_text_ = text;
  std::fflush(stdout);
  written_ = now;
  drawn_ = true;
}

void progress_output::end() {
  if (terminal_ && drawn_) fmt::print("\n");
  drawn_ = false;
}

}  // namespace outbound::cli
