#pragma once
// The one way a loader reads a file the user named: the error says whether it does not exist, is
// a directory, cannot be read or is larger than the limit (a FIFO or /dev/zero stops there too).
//   std::string text = read_input_file(path, "a scenario file");  // throws input_error
//   std::string body = read_input_stream(std::cin, "standard input", "a captured request");

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>

namespace outbound {

// Larger than any definition, scenario, plan, report or captured envelope a person would write.
inline constexpr std::uintmax_t default_input_limit = 64ull << 20;

// The whole content of `file`; `what` names what it should be ("a scenario file").
std::string read_input_file(const std::filesystem::path& file, std::string_view what,
                            std::uintmax_t max_bytes = default_input_limit);

// The whole of `in`, named `name` in errors, with the same limit.
std::string read_input_stream(std::istream& in, const std::string& name, std::string_view what,
                              std::uintmax_t max_bytes = default_input_limit);

}  // namespace outbound
