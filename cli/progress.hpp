#pragma once
// Where a long command's progress line goes (load, send, run): on a terminal, one line redrawn in
// place; on a pipe or a file (a CI log) nothing, unless --progress asks for it: then the same text
// as plain lines, the first at once, then one every 10 seconds, and the last when the work ends.
//   progress_output progress(o.progress);
//   if (progress.enabled()) progress.show("3s elapsed, 27s left: ...");
//   progress.show(text, /*last=*/true); progress.end();

#include <chrono>
#include <string>

namespace outbound::cli {

class progress_output {
 public:
  explicit progress_output(bool asked);

  bool enabled() const { return terminal_ || asked_; }
  // Redraws the line on a terminal; elsewhere writes it when 10 s have passed since the last one
  // (or `last`).
  void show(const std::string& text, bool last = false);
  // Ends the redrawn line, so that what follows starts on a line of its own.
  void end();

 private:
  bool terminal_, asked_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point written_{};
  std::string last_text_;  // on a pipe: the final line is not written twice
};

// The --progress flag of a long command.
inline constexpr const char* progress_help =
    "Progress lines on a pipe or file too (a CI log): one every 10s; a terminal always gets the "
    "redrawn line";

}  // namespace outbound::cli
