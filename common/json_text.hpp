#pragma once
// JSON in and out for every reader and writer of the project: writing never throws on invalid
// UTF-8 (such bytes become U+FFFD), and reading turns every parser exception into an input_error.
//   std::string text = dump_json(j, 2);
//   nlohmann::json j = parse_json(read_input_file(path, "a scenario"), path.string());

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace outbound {

// j as text (indent -1: compact), invalid UTF-8 in strings replaced with U+FFFD.
std::string dump_json(const nlohmann::json& j, int indent = -1);

// The JSON document in `text`; any syntax error or number out of range (1e999) is an input_error
// naming `file`.
nlohmann::json parse_json(std::string_view text, const std::string& file);

// A JSON pointer reference token: '~' and '/' escaped (RFC 6901), for input_error's field.
std::string json_pointer_token(std::string_view key);

// Every loader's refusal of a key it does not know (a typo must not be ignored): an input_error at
// path + "/" + the key, listing the known ones. Does nothing when `j` is not an object.
void refuse_unknown_keys(const nlohmann::json& j, std::span<const std::string_view> known,
                         const std::string& file, const std::string& path);
inline void refuse_unknown_keys(const nlohmann::json& j,
                                std::initializer_list<std::string_view> known,
                                const std::string& file, const std::string& path) {
  refuse_unknown_keys(j, std::span(known.begin(), known.size()), file, path);
}

// Throws the input_error for a library exception a loader let through (see read_json_guarded).
[[noreturn]] void throw_json_library_error(const std::string& file, const char* what);

// Runs `read` (a loader of a parsed document); a library exception it lets through (type_error,
// out_of_range) becomes an input_error naming `file`, so a loader's gap is exit 2, never exit 3.
template <typename F>
auto read_json_guarded(const std::string& file, F&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const nlohmann::json::exception& e) {
    throw_json_library_error(file, e.what());
  }
}

}  // namespace outbound
