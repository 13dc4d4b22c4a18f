#include "common/input_error.hpp"

#include "common/utf8.hpp"

namespace outbound {
namespace {

std::string describe(const std::string& file, const std::string& path,
                     const std::string& expected) {
  std::string text = file.empty() ? std::string("input") : file;
  if (!path.empty()) text += ": " + path;
  return text + ": " + expected;
}

// `text` with control characters written as \xNN: a NUL or an escape sequence found in the input
// should neither cut the message nor drive the terminal.
std::string visible(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    }
  }
  return out;
}

}  // namespace

input_error::input_error(std::string file, std::string path, std::string expected)
    : std::runtime_error(describe(file, path, expected)),
      file_(std::move(file)),
      path_(std::move(path)),
      expected_(std::move(expected)) {}

std::string shorten_value(std::string_view value, std::size_t max_chars) {
  if (value.size() <= max_chars) return visible(value);
  return visible(utf8_prefix(value, max_chars)) + "\xE2\x80\xA6 (" + std::to_string(value.size()) +
         " bytes)";
}

}  // namespace outbound
