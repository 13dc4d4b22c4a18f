// Reads a scenario's "expectations" object into the flat list that the runner evaluates.
#include <algorithm>
#include <charconv>
#include <regex>
#include <set>

#include "common/input_error.hpp"
#include "mock_endpoint/fault_kind.hpp"
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

// The failure classes of sender::verdict (sender/verdict.hpp), as a scenario may count them.
constexpr std::string_view failure_classes[] = {
    "refused", "unreachable", "reset",      "closed", "timeout",    "tls",     "http_status",
    "not_xml", "empty",       "not_an_ack", "nack",   "soap_fault", "protocol"};

bool is_failure_class(std::string_view s) {
  for (std::string_view c : failure_classes)
    if (s == c) return true;
  return false;
}

std::string failure_class_words() {
  std::string out = "a failure class:";
  for (std::string_view c : failure_classes) out += " " + std::string(c) + ",";
  out.pop_back();
  return out;
}

// A duration (a maximum) or {"min": "1s", "max": "5m"}: the maximum is `limit` (the largest
// duration when only a minimum is given), the minimum `at_least`.
void read_duration_range(const json& v, const std::string& file, const std::string& path,
                         expectation& e) {
  constexpr std::string_view what =
      "a duration such as \"5m\" (a maximum) or a range such as {\"min\": \"1s\", \"max\": "
      "\"5m\"}";
  if (v.is_string()) {
    auto d = parse_duration(v.get<std::string>());
    if (!d) throw input_error(file, path, std::string(what));
    e.limit = *d;
    return;
  }
  if (!v.is_object()) throw input_error(file, path, std::string(what));
  json_reader r(v, file, path, what);
  r.only({"min", "max"});
  if (!r.find("min") && !r.find("max")) throw input_error(file, path, std::string(what));
  e.at_least = r.span("min");
  e.limit = r.span("max").value_or(duration::max());
  if (e.at_least && *e.at_least > e.limit) r.fail("max", "a maximum >= the minimum");
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

// Keys every scope accepts; the top level adds drain_time, faults_injected, definitions and
// endpoints, an endpoint's scope adds faults_injected.
constexpr std::string_view scoped_keys[] = {"nothing_lost",
                                            "accepted",
                                            "delivered",
                                            "failed",
                                            "dropped",
                                            "deleted",
                                            "messages",
                                            "duplicates",
                                            "retries",
                                            "stale",
                                            "duplicates_at_most",
                                            "stale_at_most",
                                            "attempts_per_notification_at_most",
                                            "attempts_per_notification",
                                            "all_delivered_within",
                                            "latency",
                                            "failures",
                                            "failure_reasons",
                                            "newest_values_delivered"};

struct builder {
  const std::string& file;
  const scenario& s;
  std::string definition;  // scope: a definition's full name, or
  std::string endpoint;    // an endpoint's name; both empty: everything
  std::string prefix;      // name prefix: "", "Notify_ERP." or "endpoints.erp."
  std::vector<expectation>& out;

  expectation& add(expectation::kind k, std::string name, std::string path) {
    expectation e;
    e.what = k;
    e.name = prefix + std::move(name);
    e.path = std::move(path);
    e.definition = definition;
    e.endpoint = endpoint;
    out.push_back(std::move(e));
    return out.back();
  }

  // Whether the scoped definition shares its endpoint with another definition.
  bool shares_endpoint() const {
    std::string own;
    for (const auto& d : s.definitions)
      if (d.definition.full_name == definition) own = d.endpoint;
    std::size_t served = 0;
    for (const auto& d : s.definitions) served += d.endpoint == own ? 1 : 0;
    return served > 1;
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

  // {"<subject>": count, ...} where `valid` says which subjects are allowed.
  template <class Valid>
  void subject_counts(const json& j, const std::string& path, expectation::kind k,
                      const std::string& name, std::string_view example, Valid valid) {
    json_reader r(j, file, path, "an object of " + std::string(example));
    for (const auto& item : j.items()) {
      valid(r, item.key());
      auto& e = add(k, name + "." + item.key(), r.at(item.key()));
      e.subject = item.key();
      e.range = read_count_range(item.value(), file, r.at(item.key()));
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
        auto& e = add(expectation::kind::latency, "latency." + item.key() + "." + p.key(),
                      limits.at(p.key()));
        e.subject = item.key();
        e.percentile = *pct;
        read_duration_range(p.value(), file, limits.at(p.key()), e);
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
      // Named as the user wrote the time ("27h" stays "27h", not "1d3h").
      status_counts(
          r.required("status", "the expected counts, such as {\"retrying\": {\"min\": 1}}"),
          r.at("status"), expectation::kind::status_at, "during." + j[i]["at"].get<std::string>(),
          at);
    }
  }

  void at_most(const json_reader& r, std::string_view key, expectation::kind k) {
    auto n = r.count(key);
    if (!n) return;
    auto& e = add(k, std::string(key), r.at(key));
    e.range = count_range{0, *n};
  }

  void only(const json_reader& r) const {
    std::vector<std::string_view> keys(std::begin(scoped_keys), std::end(scoped_keys));
    const bool top = definition.empty() && endpoint.empty();
    if (top) keys.insert(keys.end(), {"drain_time", "faults_injected", "definitions", "endpoints"});
    if (!endpoint.empty()) keys.push_back("faults_injected");
    // final_status and during read the store, which counts per definition.
    if (endpoint.empty()) keys.insert(keys.end(), {"final_status", "during"});
    for (const auto& item : r.j.items())
      if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) {
        std::string list;
        for (auto k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
        r.fail(item.key(), "no such key here; known keys are " + list);
      }
  }

  void failures(const json_reader& r) {
    if (const json* f = r.find("failures"))
      subject_counts(*f, r.at("failures"), expectation::kind::failures, "failures",
                     "failure classes and counts, such as {\"refused\": {\"min\": 1}}",
                     [](const json_reader& fr, const std::string& key) {
                       if (!is_failure_class(key)) fr.fail(key, failure_class_words());
                     });
    if (const json* f = r.find("failure_reasons"))
      subject_counts(
          *f, r.at("failure_reasons"), expectation::kind::failure_reason, "failure_reasons",
          "reason patterns and counts, such as {\"Service Unavailable\": {\"min\": 1}}",
          [](const json_reader& fr, const std::string& key) {
            try {
              std::regex check(key);
              (void)check;
            } catch (const std::regex_error&) {
              fr.fail(key, "a regular expression (ECMAScript) matched against the reason");
            }
          });
    if (const json* f = r.find("faults_injected"))
      subject_counts(*f, r.at("faults_injected"), expectation::kind::faults_injected,
                     "faults_injected", "fault kinds and counts, such as {\"stall\": 4}",
                     [](const json_reader& fr, const std::string& key) {
                       if (!mock_endpoint::fault_kind_from_string(key))
                         fr.fail(key, "a fault kind of docs/faults.md, such as refuse or stall");
                     });
  }

  void read(const json& j, const std::string& path) {
    json_reader r(j, file, path, "an expectations object");
    only(r);
    if (!definition.empty() && shares_endpoint())
      for (std::string_view key : {"stale", "stale_at_most"})
        if (r.find(key))
          r.fail(key,
                 "no stale count for one definition whose endpoint serves others too (the "
                 "listener orders a record's data whatever definition sent it); use "
                 "\"endpoints\": {\"<name>\": {\"stale\": ...}}");
    if (auto lost = r.boolean("nothing_lost"); lost && *lost)
      add(expectation::kind::nothing_lost, "nothing_lost", r.at("nothing_lost"));
    for (std::string_view key : {"accepted", "delivered", "failed", "dropped", "deleted",
                                 "messages", "duplicates", "retries", "stale"}) {
      if (const json* v = r.find(key)) {
        auto& e = add(expectation::kind::count, std::string(key), r.at(key));
        e.subject = key;
        e.range = read_count_range(*v, file, r.at(key));
      }
    }
    at_most(r, "duplicates_at_most", expectation::kind::duplicates_at_most);
    at_most(r, "stale_at_most", expectation::kind::stale_at_most);
    at_most(r, "attempts_per_notification_at_most", expectation::kind::attempts_at_most);
    if (const json* v = r.find("attempts_per_notification"))
      add(expectation::kind::attempts, "attempts_per_notification",
          r.at("attempts_per_notification"))
          .range = read_count_range(*v, file, r.at("attempts_per_notification"));
    if (auto d = r.span("all_delivered_within"))
      add(expectation::kind::delivered_within, "all_delivered_within", r.at("all_delivered_within"))
          .limit = *d;
    if (const json* v = r.find("drain_time"))
      read_duration_range(*v, file, r.at("drain_time"),
                          add(expectation::kind::drain_time, "drain_time", r.at("drain_time")));
    if (const json* l = r.find("latency")) latency(*l, r.at("latency"));
    failures(r);
    if (auto newest = r.boolean("newest_values_delivered"); newest && *newest)
      add(expectation::kind::newest_values, "newest_values_delivered",
          r.at("newest_values_delivered"));
    if (const json* f = r.find("final_status"))
      status_counts(*f, r.at("final_status"), expectation::kind::final_status, "final_status", {});
    if (const json* d = r.find("during")) during(*d, r.at("during"));
    if (const json* defs = r.find("definitions")) {
      json_reader dr(*defs, file, r.at("definitions"),
                     "an object of definition full names and their expectations");
      for (const auto& item : defs->items()) {
        bool known = false;
        for (const auto& d : s.definitions) known |= d.definition.full_name == item.key();
        if (!known) dr.fail(item.key(), "the full name of one of the scenario's definitions");
        builder scoped{file, s, item.key(), "", item.key() + ".", out};
        scoped.read(item.value(), dr.at(item.key()));
      }
    }
    if (const json* eps = r.find("endpoints")) {
      json_reader er(*eps, file, r.at("endpoints"),
                     "an object of endpoint names and their expectations");
      for (const auto& item : eps->items()) {
        bool known = false;
        for (const auto& e : s.endpoints) known |= e.name == item.key();
        if (!known) er.fail(item.key(), "the name of one of the scenario's endpoints");
        builder scoped{file, s, "", item.key(), "endpoints." + item.key() + ".", out};
        scoped.read(item.value(), er.at(item.key()));
      }
    }
  }
};

}  // namespace

std::vector<expectation> read_expectations(const json& j, const std::string& file,
                                           const std::string& path, const scenario& s) {
  std::vector<expectation> out;
  builder{file, s, "", "", "", out}.read(j, path);
  return out;
}

}  // namespace outbound::scenarios::detail
