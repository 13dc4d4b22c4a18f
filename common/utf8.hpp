#pragma once
// Cutting UTF-8 text without splitting a character, for values shortened in messages and stored
// reasons that later go through a JSON writer.
//   utf8_prefix("caf\xC3\xA9", 4) == "caf"

#include <cstddef>
#include <string_view>

namespace outbound {

// The longest prefix of at most max_bytes that does not end inside a multi-byte sequence.
inline std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  // Back off over continuation bytes (10xxxxxx) so the cut falls before a lead byte.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

}  // namespace outbound
