#include "sender/response_head.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

namespace outbound::sender {
namespace {

// Per byte: a token character of a field name (RFC 9110 tchar), a character of a field value
// or reason phrase (VCHAR, obs-text, space, tab), or neither.
constexpr std::uint8_t token = 1, text = 2;
constexpr std::array<std::uint8_t, 256> chars = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0x21; c < 0x7f; ++c) t[c] = text;
  for (int c = 0x80; c < 0x100; ++c) t[c] = text;
  t[' '] = t['\t'] = text;
  for (int c = '0'; c <= '9'; ++c) t[c] |= token;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= token;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= token;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] |= token;
  return t;
}();

bool all_of(std::string_view s, std::uint8_t kind) {
  for (char c : s)
    if (!(chars[static_cast<unsigned char>(c)] & kind)) return false;
  return true;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Case-insensitive equality with a lower-case `name`.
bool named(std::string_view s, std::string_view name) {
  if (s.size() != name.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[i]) return false;
  }
  return true;
}

head_reading declined() {
  return {};
}

// Whether the start of a line can still become one this reads: otherwise Beast's parser must
// see it now (it refuses garbage at once, where waiting for more would end in a timeout or a
// close). `status`: the status line, "HTTP/1.1 200 " then the reason.
bool can_continue(std::string_view part, bool status) {
  // A line may end only where a whole one could: after the status line's reason, after a
  // field's colon, or as the blank line.
  const bool ending = !part.empty() && part.back() == '\r';
  if (ending) part.remove_suffix(1);
  if (status) {
    static constexpr std::string_view shape = "HTTP/1.x ddd ";
    for (std::size_t i = 0; i < part.size() && i < shape.size(); ++i) {
      const char c = part[i];
      const bool fits = shape[i] == 'x'   ? c == '0' || c == '1'
                        : shape[i] == 'd' ? c >= '0' && c <= '9'
                                          : c == shape[i];
      if (!fits) return false;
    }
    if (part.size() < shape.size()) return !ending;
    return all_of(part.substr(shape.size()), text);
  }
  const std::size_t colon = part.find(':');
  if (colon == std::string_view::npos) return ending ? part.empty() : all_of(part, token);
  return colon > 0 && all_of(part.substr(0, colon), token) && all_of(part.substr(colon + 1), text);
}

}  // namespace

head_reading read_response_head(std::string_view bytes, std::size_t body_limit) {
  const std::size_t limit = bytes.size() < max_head_size ? bytes.size() : max_head_size;
  std::size_t at = 0;
  // The next line without its CRLF; false when no whole line is there yet.
  std::string_view line;
  bool bare_newline = false;
  const auto next_line = [&]() {
    if (at == limit) return false;  // an empty buffer may have no address: not for memchr
    const void* nl = std::memchr(bytes.data() + at, '\n', limit - at);
    if (!nl) return false;
    const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data());
    if (end == at || bytes[end - 1] != '\r') {
      bare_newline = true;
      return false;
    }
    line = bytes.substr(at, end - 1 - at);
    at = end + 1;
    return true;
  };
  const auto not_yet = [&](bool status) {
    const bool waits = !bare_newline && limit < max_head_size &&
                       can_continue(bytes.substr(at, limit - at), status);
    return head_reading{waits ? head_outcome::incomplete : head_outcome::declined, {}};
  };

  if (!next_line()) return not_yet(true);
  // "HTTP/1.1 200 OK": the versions listeners answer with, a status without a body rule of its
  // own (1xx, 204 and 304 have none whatever their Content-Length says).
  if (line.size() < 13 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') ||
      line[8] != ' ' || line[12] != ' ')
    return declined();
  const bool http11 = line[7] == '1';
  response_head h;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return declined();
    h.status = h.status * 10 + (line[i] - '0');
  }
  if (h.status < 200 || h.status == 204 || h.status == 304) return declined();
  h.reason = line.substr(13);
  // An empty reason is Beast's to read: it reports the status's standard one instead.
  if (h.reason.empty() || !all_of(h.reason, text)) return declined();

  bool has_length = false, has_type = false, has_retry = false;
  std::optional<bool> keep;  // what a Connection field says
  for (;;) {
    if (!next_line()) return not_yet(false);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return declined();
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (!all_of(name, token) || !all_of(value, text)) return declined();
    // Most fields are none of those read here: their first letter tells.
    const char first = static_cast<char>(name[0] | 0x20);
    if (first != 'c' && first != 'p' && first != 'r' && first != 't' && first != 'u') continue;
    if (named(name, "content-length")) {
      if (has_length || value.empty() || value.size() > 18) return declined();
      for (char c : value) {
        if (c < '0' || c > '9') return declined();
        h.content_length = h.content_length * 10 + static_cast<std::size_t>(c - '0');
      }
      has_length = true;
    } else if (named(name, "content-type")) {
      if (has_type) return declined();
      h.content_type = value;
      has_type = true;
    } else if (named(name, "retry-after")) {
      if (has_retry) return declined();
      h.retry_after = value;
      has_retry = true;
    } else if (named(name, "connection")) {
      // One token, as listeners send it, decided here: Beast checks the field as it comes.
      if (keep) return declined();
      if (named(value, "close"))
        keep = false;
      else if (named(value, "keep-alive"))
        keep = true;
      else
        return declined();
    } else if (named(name, "transfer-encoding") || named(name, "upgrade") ||
               named(name, "proxy-connection")) {
      return declined();
    }
  }
  if (!has_length || h.content_length > body_limit) return declined();
  // HTTP/1.1 keeps the connection unless told to close it, HTTP/1.0 closes it unless told to
  // keep it.
  h.keep_alive = keep.value_or(http11);
  h.size = at;
  return {head_outcome::complete, h};
}

}  // namespace outbound::sender
