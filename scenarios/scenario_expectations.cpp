// Reads a scenario's "expectations" object into the flat list that the runner evaluates.
#include <charconv>
#include <set>

#include "common/input_error.hpp"
#include "scenarios/json_reader.hpp"
#include "scenarios/scenario.hpp"

namespace outbound::scenarios::detail {

using nlohmann::json;

namespace {

constexpr std::string_view states_words =
    "a delivery-status state: queued, in_flight, retrying, delivered, failed, dropped, deleted";

bool is_state(std::string_view s) {
  for (std::string_view k :
       {"queued", "in_flight", "retrying", "delivered", "failed", "dropped", "deleted"})
    if (s == k) return true;
  return false;
}

// "p50", "p99", "p99.9", "max" -> the percentile; nullopt otherwise.
std::optional<double> parse_percentile(std::string_view key) {
  if (key == "max") return 100.0;
  if (key.size() < 2 || key[0] != 'p') return std::nullopt;
  double p = 0;
  auto [end, ec] = std::from_chars(key.data() + 1, key.data() + key.size(), p);
  if (ec != std::errc() || end != key.data() + key.size() || p <= 0 || p > 100) return std::nullopt;
  return p;
}

struct builder {
  const std::string& file;
  std::string definition;  // scope: empty for all
  std::string prefix;      // name prefix: "" or "Notify_ERP."
  std::vector<expectation>& out;

  expectation& add(expectation::kind k, std::string name, std::string path) {
    expectation e;
    e.what = k;
    e.name = prefix + std::move(name);
    e.path = std::move(path);
    e.definition = definition;
    out.push_back(std::move(e));
    return out.back();
  }

  void status_counts(const json& j, const std::string& path, expectation::kind k,
                     const std::string& name, duration at) {
    json_reader r(j, file, path, "an object of states and counts, such as {\"retrying\": 5}");
    for (const auto& item : j.items()) {
      if (!is_state(item.key())) r.fail(item.key(), std::string(states_words));
      auto& e = add(k, name + "." + item.key(), r.at(item.key()));
      e.subject = item.key();
      e.range = read_count_range(item.value(), file, r.at(item.key()));
      e.at = at;
    }
  }

  void latency(const json& j, const std::string& path) {
    json_reader r(j, file, path, "an object such as {\"end_to_end\": {\"p99\": \"5m\"}}");
    r.only({"end_to_end", "per_attempt"});
    for (const auto& item : j.items()) {
      json_reader limits(item.value(), file, r.at(item.key()),
                         "an object of percentiles and limits, such as {\"p99\": \"5m\"}");
      for (const auto& p : item.value().items()) {
        auto pct = parse_percentile(p.key());
        if (!pct) limits.fail(p.key(), "a percentile such as p50, p99, p99.9 or max");
        auto limit = limits.span(p.key());
        auto& e = add(expectation::kind::latency, "latency." + item.key() + "." + p.key(),
                      limits.at(p.key()));
        e.subject = item.key();
        e.percentile = *pct;
        e.limit = *limit;
      }
    }
  }

  void during(const json& j, const std::string& path) {
    if (!j.is_array()) throw input_error(file, path, "an array of {\"at\": ..., \"status\": ...}");
    for (std::size_t i = 0; i < j.size(); ++i) {
      const std::string at_path = path + "/" + std::to_string(i);
      json_reader r(j[i], file, at_path, "an object {\"at\": \"4h\", \"status\": {...}}");
      r.only({"at", "status"});
      r.required("at", "the time after the start, such as \"4h\"");
      const duration at = *r.span("at");
      status_counts(
          r.required("status", "the expected counts, such as {\"retrying\": {\"min\": 1}}"),
          r.at("status"), expectation::kind::status_at, "during." + format_duration(at), at);
    }
  }

  void at_most(const json_reader& r, std::string_view key, expectation::kind k) {
    auto n = r.count(key);
    if (!n) return;
    auto& e = add(k, std::string(key), r.at(key));
    e.range = count_range{0, *n};
  }

  void read(const json& j, const std::string& path, const std::set<std::string>& definitions) {
    json_reader r(j, file, path, "an expectations object");
    const bool top = definition.empty();
    if (top)
      r.only({"nothing_lost", "accepted", "delivered", "failed", "dropped", "deleted", "messages",
              "duplicates", "stale", "duplicates_at_most", "stale_at_most",
              "attempts_per_notification_at_most", "all_delivered_within", "latency",
              "final_status", "during", "definitions"});
    else
      r.only({"nothing_lost", "accepted", "delivered", "failed", "dropped", "deleted", "messages",
              "attempts_per_notification_at_most", "all_delivered_within", "latency",
              "final_status", "during"});
    if (auto lost = r.boolean("nothing_lost"); lost && *lost)
      add(expectation::kind::nothing_lost, "nothing_lost", r.at("nothing_lost"));
    for (std::string_view key : {"accepted", "delivered", "failed", "dropped", "deleted",
                                 "messages", "duplicates", "stale"}) {
      if (const json* v = r.find(key)) {
        auto& e = add(expectation::kind::count, std::string(key), r.at(key));
        e.subject = key;
        e.range = read_count_range(*v, file, r.at(key));
      }
    }
    at_most(r, "duplicates_at_most", expectation::kind::duplicates_at_most);
    at_most(r, "stale_at_most", expectation::kind::stale_at_most);
    at_most(r, "attempts_per_notification_at_most", expectation::kind::attempts_at_most);
    if (auto d = r.span("all_delivered_within"))
      add(expectation::kind::delivered_within, "all_delivered_within", r.at("all_delivered_within"))
          .limit = *d;
    if (const json* l = r.find("latency")) latency(*l, r.at("latency"));
    if (const json* f = r.find("final_status"))
      status_counts(*f, r.at("final_status"), expectation::kind::final_status, "final_status", {});
    if (const json* d = r.find("during")) during(*d, r.at("during"));
    if (const json* defs = r.find("definitions")) {
      json_reader dr(*defs, file, r.at("definitions"),
                     "an object of definition full names and their expectations");
      for (const auto& item : defs->items()) {
        if (!definitions.count(item.key()))
          dr.fail(item.key(), "the full name of one of the scenario's definitions");
        builder scoped{file, item.key(), item.key() + ".", out};
        scoped.read(item.value(), dr.at(item.key()), definitions);
      }
    }
  }
};

}  // namespace

std::vector<expectation> read_expectations(const json& j, const std::string& file,
                                           const std::string& path,
                                           const std::set<std::string>& definitions) {
  std::vector<expectation> out;
  builder{file, "", "", out}.read(j, path, definitions);
  return out;
}

}  // namespace outbound::scenarios::detail
