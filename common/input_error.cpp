#include "common/input_error.hpp"

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

}  // namespace outbound
