#pragma once
// Small text helpers shared by the parsers.
//   trim("  15s ") == "15s";  trim("a\t", " ") == "a\t"

#include <string_view>

namespace outbound {

// `s` without the leading and trailing characters of `whitespace` (by default spaces, tabs and
// line ends). Parsers pass their own set where their grammar says which blanks it allows.
inline std::string_view trim(std::string_view s, std::string_view whitespace = " \t\r\n") {
  const auto first = s.find_first_not_of(whitespace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(whitespace) - first + 1);
}

}  // namespace outbound
