#pragma once
// The one error type for bad input (a scenario, definition, plan, request or URL): it names the
// file, the field path inside it and what was expected, and the command line turns it into exit 2.
//   throw input_error("scenario.json", "/faults/0/after", "a duration such as 90s or 1h30m");
// Values found in the input are quoted through shorten_value, so a 10 MB value is never echoed.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace outbound {

class input_error : public std::runtime_error {
 public:
  input_error(std::string file, std::string path, std::string expected);

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const std::string& expected() const { return expected_; }

 private:
  std::string file_;
  std::string path_;
  std::string expected_;
};

// `value` as is when short, else its first max_chars bytes (whole UTF-8 characters) followed by
// "… (N bytes)"; control characters (a NUL, an escape) are written \xNN.
std::string shorten_value(std::string_view value, std::size_t max_chars = 60);

}  // namespace outbound
