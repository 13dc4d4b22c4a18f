#include "common/json_text.hpp"

#include <algorithm>

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

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

void refuse_unknown_keys(const nlohmann::json& j, std::span<const std::string_view> known,
                         const std::string& file, const std::string& path) {
  if (!j.is_object()) return;
  for (const auto& item : j.items()) {
    if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw input_error(file, path + "/" + json_pointer_token(item.key()),
                      "no such key; known keys are " + list);
  }
}

void throw_json_library_error(const std::string& file, const char* what) {
  throw input_error(file, "",
                    "a value of the documented type and range (" + shorten_value(what, 200) + ")");
}

}  // namespace outbound
