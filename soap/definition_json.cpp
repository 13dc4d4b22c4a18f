// The project's JSON form of a definition (docs/definitions.md).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <set>

#include "common/input_error.hpp"
#include "common/json_text.hpp"
#include "soap/definition.hpp"
#include "soap/definition_detail.hpp"

namespace outbound::soap {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 12> known_keys{"full_name",
                                                      "name",
                                                      "description",
                                                      "object",
                                                      "fields",
                                                      "endpoint_url",
                                                      "include_session_id",
                                                      "use_dead_letter_queue",
                                                      "api_version",
                                                      "integration_user",
                                                      "organization_id",
                                                      "action_id"};

constexpr std::string_view type_choices = "one of string, ID, boolean, int, double, date, dateTime";

struct reader {
  const json& j;
  const std::string& file;
  const std::string& path;

  std::string at(std::string_view key) const { return path + "/" + json_pointer_token(key); }

  const json* find(std::string_view key, bool required, std::string_view what) const {
    auto it = j.find(std::string(key));
    if (it == j.end()) {
      if (required) throw input_error(file, at(key), "a required key: " + std::string(what));
      return nullptr;
    }
    return &*it;
  }

  void string(std::string_view key, std::string& out, bool required, std::string_view what) const {
    const json* v = find(key, required, what);
    if (!v) return;
    if (!v->is_string()) throw input_error(file, at(key), std::string(what));
    out = v->get<std::string>();
  }

  void boolean(std::string_view key, bool& out) const {
    const json* v = find(key, false, "");
    if (!v) return;
    if (!v->is_boolean()) throw input_error(file, at(key), "true or false");
    out = v->get<bool>();
  }

  void api_name(std::string_view key, std::string& out, std::string_view example) const {
    std::string what =
        "an API name (a letter, then letters, digits or _) such as " + std::string(example);
    string(key, out, true, what);
    if (!defs::is_api_name(out))
      throw input_error(file, at(key), what + ", not \"" + shorten_value(out) + "\"");
  }
};

void check_keys(const json& j, const std::string& file, const std::string& path) {
  refuse_unknown_keys(j, known_keys, file, path);
}

field read_field(const json& f, const std::string& file, const std::string& path) {
  field out;
  if (f.is_string()) {
    out.name = f.get<std::string>();
  } else if (f.is_object()) {
    refuse_unknown_keys(f, {"name", "type"}, file, path);
    auto name = f.find("name");
    if (name == f.end() || !name->is_string())
      throw input_error(file, path + "/name", "the field's API name as a string");
    out.name = name->get<std::string>();
  } else {
    throw input_error(file, path,
                      "a field name such as \"BillingCity\" or {\"name\": ..., \"type\": ...}");
  }
  if (!defs::is_api_name(out.name))
    throw input_error(file, f.is_string() ? path : path + "/name",
                      "a field API name (a letter, then letters, digits or _), not \"" +
                          shorten_value(out.name) + "\"");
  out.type = defs::guess_field_type(out.name);
  if (f.is_object()) {
    if (auto type = f.find("type"); type != f.end()) {
      auto parsed =
          type->is_string() ? defs::field_type_from_string(type->get<std::string>()) : std::nullopt;
      if (!parsed) throw input_error(file, path + "/type", std::string(type_choices));
      out.type = *parsed;
    }
  }
  return out;
}

std::vector<field> read_fields(const json& fields, const std::string& file,
                               const std::string& path) {
  if (!fields.is_array()) throw input_error(file, path, "an array of fields");
  std::vector<field> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string at = path + "/" + std::to_string(i);
    field f = read_field(fields[i], file, at);
    if (f.name == "Id") continue;  // always sent first, so never listed
    if (!seen.insert(f.name).second)
      throw input_error(
          file, at, "a field not listed before (\"" + shorten_value(f.name) + "\" is repeated)");
    out.push_back(std::move(f));
  }
  return out;
}

bool is_api_version(std::string_view v) {
  auto dot = v.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == v.size()) return false;
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(v.substr(0, dot)) && digits(v.substr(dot + 1));
}

}  // namespace

definition definition_from_json(const nlohmann::json& j, const std::string& file,
                                const std::string& path) {
  if (!j.is_object()) throw input_error(file, path.empty() ? "/" : path, "a definition object");
  check_keys(j, file, path);
  reader r{j, file, path};
  definition d;
  r.api_name("full_name", d.full_name, "Notify_ERP");
  r.string("name", d.name, false, "a label such as \"Notify ERP\"");
  if (!j.contains("name")) d.name = d.full_name;
  r.string("description", d.description, false, "a description as a string");
  r.api_name("object", d.object, "Account or Invoice__c");
  const json* fields = r.find("fields", true, "an array of field names");
  d.fields = read_fields(*fields, file, r.at("fields"));
  r.string("endpoint_url", d.endpoint_url, true, "the listener's URL as a string");
  r.boolean("include_session_id", d.include_session_id);
  r.boolean("use_dead_letter_queue", d.use_dead_letter_queue);
  r.string("api_version", d.api_version, false, "an API version such as \"59.0\"");
  if (!is_api_version(d.api_version))
    throw input_error(
        file, r.at("api_version"),
        "an API version such as \"59.0\", not \"" + shorten_value(d.api_version) + "\"");
  r.string("integration_user", d.integration_user, false, "a user name as a string");
  r.string("organization_id", d.organization_id, false, "an organization id (00D...) as a string");
  r.string("action_id", d.action_id, false, "an action id (04k...) as a string");
  check_endpoint_url(d.endpoint_url, d.include_session_id, file, r.at("endpoint_url"));
  defs::complete_ids(d, file, r.at("organization_id"), r.at("action_id"));
  return d;
}

nlohmann::json to_json(const definition& d) {
  json fields = json::array();
  for (const field& f : d.fields)
    fields.push_back({{"name", f.name}, {"type", std::string(to_string(f.type))}});
  return json{{"full_name", d.full_name},
              {"name", d.name},
              {"description", d.description},
              {"object", d.object},
              {"fields", std::move(fields)},
              {"endpoint_url", d.endpoint_url},
              {"include_session_id", d.include_session_id},
              {"use_dead_letter_queue", d.use_dead_letter_queue},
              {"api_version", d.api_version},
              {"integration_user", d.integration_user},
              {"organization_id", d.organization_id},
              {"action_id", d.action_id}};
}

}  // namespace outbound::soap
