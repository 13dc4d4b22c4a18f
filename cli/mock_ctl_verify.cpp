// `outbound mock-ctl verify --store FILE`: does every record end with its newest values at the
// mock? The store is read without being written (sender/store_reader.hpp); the mock's side is
// GET /__admin/ledger/records, one line per record whose newest values it kept.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <unordered_map>

#include "cli/mock_ctl_steps.hpp"
#include "common/input_error.hpp"
#include "sender/store_reader.hpp"

namespace outbound::cli {
namespace {

using nlohmann::json;

// Ids compare on their first 15 characters: 18-character ids only add a checksum.
std::string key_of(std::string_view id) {
  return std::string(id.substr(0, 15));
}

struct held_record {
  std::vector<soap::field_value> values;
  std::uint64_t stale = 0;
};

std::vector<soap::field_value> values_of(const json& values) {
  std::vector<soap::field_value> out;
  if (!values.is_object()) return out;
  for (const auto& [name, v] : values.items())
    out.push_back(
        {name, v.is_string() ? std::optional<std::string>(v.get<std::string>()) : std::nullopt});
  return out;
}

// Every record whose values the mock kept, by id.
std::unordered_map<std::string, held_record> held_by_mock(admin_client& c) {
  std::unordered_map<std::string, held_record> held;
  std::string pending, error_body;
  bool malformed = false;
  auto sink = [&](const sender::http_response& head, std::string_view data) {
    if (head.status != 200) {
      error_body += data;
      return error_body.size() < 64 * 1024;
    }
    pending += data;
    for (auto eol = pending.find('\n'); eol != std::string::npos; eol = pending.find('\n')) {
      const json line = json::parse(pending.substr(0, eol), nullptr, false);
      pending.erase(0, eol + 1);
      if (!line.is_object() || !line.contains("id") || !line["id"].is_string()) {
        malformed = true;
        return false;
      }
      held[key_of(line["id"].get<std::string>())] = {values_of(line.value("values", json())),
                                                     line.value("stale_deliveries", 0ull)};
    }
    return true;
  };
  const sender::attempt_result r = c.stream("ledger/records", std::nullopt, sink);
  if (r.response.status != 0 && r.response.status != 200)
    throw admin_client::unreachable(fmt::format("{} answered {}: {}",
                                                c.describe("GET", "ledger/records"),
                                                r.response.status, shorten_value(error_body, 300)));
  if (malformed)
    throw admin_client::unreachable(c.describe("GET", "ledger/records") +
                                    " answered a line that is not a record");
  if (r.error != sender::transport_error::none)
    throw admin_client::unreachable(
        fmt::format("{} broke off: {}", c.describe("GET", "ledger/records"), r.detail));
  return held;
}

std::string quoted(const std::optional<std::string>& v) {
  return v ? "\"" + shorten_value(*v) + "\"" : std::string("null");
}

// "Name is "Acme" at the mock, "Acme 2" in the store; Phone ...".
std::string differences(const sender::record& r, const std::vector<soap::field_value>& held,
                        const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& name : fields) {
    const auto at_mock = std::find_if(held.begin(), held.end(),
                                      [&](const soap::field_value& f) { return f.name == name; });
    const auto in_store = std::find_if(r.fields.begin(), r.fields.end(),
                                       [&](const soap::field_value& f) { return f.name == name; });
    out += fmt::format("{}{} is {} at the mock, {} in the store", out.empty() ? "" : "; ", name,
                       quoted(at_mock->value),
                       quoted(in_store == r.fields.end() ? std::nullopt : in_store->value));
  }
  return out;
}

}  // namespace

int verify_store(admin_client& c, const verify_options& o) {
  // Everything local first: a bad store or definition is exit 2 before the mock is asked.
  const sender::store_reader store(o.store);
  std::vector<std::string> definitions;
  if (!o.definition.empty()) {
    const auto names = store.definition_names();
    if (std::find(names.begin(), names.end(), o.definition) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw input_error("--definition", o.definition,
                        "a definition of " + o.store +
                            " (it has: " + (known.empty() ? std::string("none") : known) + ")");
    }
    definitions.push_back(o.definition);
  }
  const auto held = held_by_mock(c);
  const std::uint64_t not_kept =
      c.call_json("GET", "ledger").value("records_without_values", std::uint64_t{0});

  std::uint64_t checked = 0, deleted = 0, differ = 0, stale = 0;
  store.for_each_notified_record(definitions, [&](const sender::record& r) {
    if (r.deleted) {  // its last notification carries only the Id: nothing to compare
      ++deleted;
      return;
    }
    ++checked;
    const auto it = held.find(key_of(r.id));
    std::string problem;
    if (it == held.end()) {
      problem = "never arrived at the mock";
      // Past --keep-values the mock knows the record without its values.
      if (not_kept > 0 && c.call("GET", "ledger/records/" + r.id).status == 200)
        problem = "arrived, but the mock kept no values for it (raise its --keep-values)";
    } else {
      if (it->second.stale > 0) ++stale;
      const auto fields = sender::fields_not_newest(r, it->second.values);
      if (!fields.empty()) problem = differences(r, it->second.values, fields);
    }
    if (problem.empty()) return;
    ++differ;
    fmt::print("{}: {}\n", r.id, problem);
  });

  std::string summary = fmt::format("verify: {} records of {}", checked, o.store);
  if (deleted) summary += fmt::format(" ({} deleted ones not compared)", deleted);
  summary += differ == 0 ? ": every one holds its newest values at the mock"
                         : fmt::format(": {} do not hold their newest values at the mock", differ);
  if (stale) summary += fmt::format("; {} received older data after newer (stale)", stale);
  fmt::print("{}\n", summary);
  return differ == 0 ? 0 : 1;
}

}  // namespace outbound::cli
