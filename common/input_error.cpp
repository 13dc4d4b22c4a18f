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

}  // namespace

input_error::input_error(std::string file, std::string path, std::string expected)
    : std::runtime_error(describe(file, path, expected)),
      file_(std::move(file)),
      path_(std::move(path)),
      expected_(std::move(expected)) {}

std::string shorten_value(std::string_view value, std::size_t max_chars) {
  if (value.size() <= max_chars) return std::string(value);
  return std::string(utf8_prefix(value, max_chars)) + "\xE2\x80\xA6 (" +
         std::to_string(value.size()) + " bytes)";
}

}  // namespace outbound
