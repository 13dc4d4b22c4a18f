#include "common/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "common/input_error.hpp"

namespace outbound {
namespace {

std::string size_limit(std::uintmax_t max_bytes) {
  return std::to_string(max_bytes) + " bytes";
}

// Fails early with the reason a person can act on, before opening anything.
void check_path(const std::filesystem::path& file, std::string_view what,
                std::uintmax_t max_bytes) {
  const std::string name = file.string();
  std::error_code ec;
  const auto st = std::filesystem::status(file, ec);
  if (st.type() == std::filesystem::file_type::not_found)
    throw input_error(name, "", std::string(what) + " (the file does not exist)");
  if (st.type() == std::filesystem::file_type::directory)
    throw input_error(name, "", std::string(what) + " (this is a directory, not a file)");
  if (st.type() == std::filesystem::file_type::regular) {
    const auto size = std::filesystem::file_size(file, ec);
    if (!ec && size > max_bytes)
      throw input_error(name, "",
                        std::string(what) + " of at most " + size_limit(max_bytes) + " (it has " +
                            std::to_string(size) + " bytes)");
  }
}

}  // namespace

std::string read_input_stream(std::istream& in, const std::string& name, std::string_view what,
                              std::uintmax_t max_bytes) {
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw input_error(
          name, "",
          std::string(what) + " of at most " + size_limit(max_bytes) + " (reading stopped there)");
  }
  if (in.bad()) throw input_error(name, "", std::string(what) + " (reading failed)");
  return text;
}

std::string read_input_file(const std::filesystem::path& file, std::string_view what,
                            std::uintmax_t max_bytes) {
  check_path(file, what, max_bytes);
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const std::string reason = errno != 0 ? std::strerror(errno) : "cannot be opened";
    throw input_error(file.string(), "", std::string(what) + " (not readable: " + reason + ")");
  }
  return read_input_stream(in, file.string(), what, max_bytes);
}

}  // namespace outbound
