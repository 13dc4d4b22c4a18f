#include "common/json_text.hpp"

#include "common/input_error.hpp"

namespace outbound {

std::string dump_json(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json parse_json(std::string_view text, const std::string& file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // The library quotes the token it stopped at, which may be a whole 10 MB string.
    throw input_error(file, "", "valid JSON (" + shorten_value(e.what(), 200) + ")");
  }
}

void throw_json_library_error(const std::string& file, const char* what) {
  throw input_error(file, "",
                    "a value of the documented type and range (" + shorten_value(what, 200) + ")");
}

}  // namespace outbound
