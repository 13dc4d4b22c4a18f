#pragma once
// Whether a (decoded) host name is one a resolver can look up, so that URLs in definitions,
// options and scenarios are refused with a message instead of failing later at connect time.
//   if (!is_host_name(u.host_name())) throw input_error(file, field, "a host name ...");

#include <cctype>
#include <string_view>

namespace outbound {

// At most 253 characters, labels of 1 to 63 letters, digits, hyphens or underscores (RFC 1035,
// with the underscore some internal names use), one trailing dot allowed. A NUL, a space or any
// other byte is refused.
inline bool is_host_name(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
    if (++label > 63) return false;
  }
  return true;
}

inline constexpr std::string_view host_name_rule =
    "a host name of dot-separated labels of 1 to 63 letters, digits or hyphens, at most 253 "
    "characters";

}  // namespace outbound
