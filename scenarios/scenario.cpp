// The scenario loader: the top level, definitions, endpoints and the workload. Expectations are
// read in scenario_expectations.cpp.
#include "scenarios/scenario.hpp"

#include <algorithm>
#include <set>

#include "common/input_error.hpp"
#include "common/input_file.hpp"
#include "common/json_text.hpp"
#include "scenarios/json_reader.hpp"

namespace outbound::scenarios {

using detail::json_reader;
using nlohmann::json;

namespace detail {
std::vector<expectation> read_expectations(const json& j, const std::string& file,
                                           const std::string& path, const scenario& s);
}

namespace {

constexpr std::string_view duration_words =
    "a duration such as \"250ms\", \"90s\", \"15m\", \"3h\" or \"1h30m\"";

change_mix read_mix(const json& j, const std::string& file, const std::string& path) {
  json_reader r(j, file, path, "an object such as {\"creates\": 0.1, \"updates\": 0.9}");
  r.only({"creates", "updates", "deletes"});
  change_mix m{r.number("creates", 0, 1e9).value_or(0), r.number("updates", 0, 1e9).value_or(0),
               r.number("deletes", 0, 1e9).value_or(0)};
  const double sum = m.creates + m.updates + m.deletes;
  if (sum <= 0) throw input_error(file, path, "at least one of creates, updates, deletes above 0");
  return change_mix{m.creates / sum, m.updates / sum, m.deletes / sum};
}

// "business_day" (quiet nights, a morning and an afternoon peak) or 24 hourly factors.
std::array<double, 24> read_curve(const json& v, const std::string& file, const std::string& path) {
  if (v.is_string() && v.get<std::string>() == "business_day")
    return {0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5, 0.9, 1.0, 1.0,  0.8,
            0.6,  0.8,  1.0,  1.0,  0.9,  0.6, 0.3, 0.2, 0.1, 0.1, 0.05, 0.05};
  constexpr std::string_view what =
      "\"business_day\" or an array of 24 factors (0..1) of the peak rate, one per UTC hour";
  if (!v.is_array() || v.size() != 24) throw input_error(file, path, std::string(what));
  std::array<double, 24> out{};
  for (std::size_t i = 0; i < 24; ++i) {
    if (!v[i].is_number() || v[i].get<double>() < 0)
      throw input_error(file, path + "/" + std::to_string(i), "a factor >= 0");
    out[i] = v[i].get<double>();
  }
  return out;
}

traffic read_traffic(const json& j, const std::string& file, const std::string& path,
                     duration length) {
  json_reader r(j, file, path, "a change pattern object with \"kind\"");
  auto kind = r.string("kind", "one of constant, burst, ramp, daily");
  if (!kind) r.fail("kind", "a required key: one of constant, burst, ramp, daily");
  traffic t;
  if (auto m = r.find("mix")) t.mix = read_mix(*m, file, r.at("mix"));
  if (*kind == "burst") {
    r.only({"kind", "at", "count", "over", "mix"});
    t.kind = traffic::shape::burst;
    t.from = r.span("at").value_or(duration{});
    t.until = t.from + r.span("over").value_or(duration{});
    auto n = r.count("count");
    if (!n) r.fail("count", "a required key: the number of changes in the burst");
    t.count = *n;
    if (t.from >= length)
      r.fail("at", "a time before the scenario's duration, " + format_duration(length));
    if (t.until > length)
      r.fail("over",
             "a spread that ends within the scenario's duration, " + format_duration(length));
    return t;
  }
  t.from = r.span("from").value_or(duration{});
  t.until = r.span("until").value_or(length);
  if (t.until <= t.from) r.fail(r.find("until") ? "until" : "from", "a window with until > from");
  // Changes after the workload's end would be cut off by a run that settles early.
  if (t.until > length)
    r.fail(r.find("until") ? "until" : "from",
           "a time within the scenario's duration, " + format_duration(length));
  if (*kind == "constant") {
    r.only({"kind", "rate", "from", "until", "mix"});
    t.kind = traffic::shape::constant;
    r.required("rate", "the change rate such as \"30/m\"");
    t.rate = *r.rate("rate");
  } else if (*kind == "ramp") {
    r.only({"kind", "rate_from", "rate_to", "from", "until", "mix"});
    t.kind = traffic::shape::ramp;
    r.required("rate_from", "the rate at the window's start");
    r.required("rate_to", "the rate at the window's end");
    t.rate = *r.rate("rate_from");
    t.rate_to = *r.rate("rate_to");
  } else if (*kind == "daily") {
    r.only({"kind", "peak", "curve", "from", "until", "mix"});
    t.kind = traffic::shape::daily;
    r.required("peak", "the peak rate such as \"600/h\"");
    t.rate = *r.rate("peak");
    const json* c = r.find("curve");
    t.curve = read_curve(c ? *c : json("business_day"), file, r.at("curve"));
  } else {
    r.fail("kind", "one of constant, burst, ramp, daily, not \"" + shorten_value(*kind) + "\"");
  }
  return t;
}

workload read_workload(const json& j, const std::string& file, const std::string& path,
                       duration length) {
  json_reader r(j, file, path, "a workload object");
  r.only({"records", "mix", "arrivals", "changes"});
  workload w;
  w.records = r.count("records").value_or(0);
  if (auto m = r.find("mix")) w.mix = read_mix(*m, file, r.at("mix"));
  if (auto a = r.string("arrivals", "\"uniform\" or \"poisson\"")) {
    if (*a != "uniform" && *a != "poisson") r.fail("arrivals", "\"uniform\" or \"poisson\"");
    w.poisson = *a == "poisson";
  }
  if (const json* c = r.find("changes")) {
    if (!c->is_array()) r.fail("changes", "an array of change patterns");
    for (std::size_t i = 0; i < c->size(); ++i)
      w.changes.push_back(
          read_traffic((*c)[i], file, r.at("changes") + "/" + std::to_string(i), length));
  }
  return w;
}

definition_entry read_definition(const json& j, const std::string& file, const std::string& path,
                                 const std::filesystem::path& folder, duration length) {
  json_reader r(j, file, path, "a definition entry: {\"file\": ...} or {\"definition\": {...}}");
  r.only({"file", "message", "definition", "endpoint", "workload"});
  definition_entry e;
  const json* inline_def = r.find("definition");
  auto def_file = r.string("file", "a definition file path relative to the scenario file");
  if (inline_def && def_file) r.fail("definition", "either \"file\" or \"definition\", not both");
  if (inline_def) {
    e.definition = soap::definition_from_json(*inline_def, file, r.at("definition"));
    e.source = "inline";
  } else if (def_file) {
    auto message = r.string("message", "the fullName of one outbound message in the file");
    const auto full = folder / *def_file;
    if (!std::filesystem::exists(full))
      r.fail("file", "an existing definition file (" + full.string() + " not found)");
    e.definition = soap::load_definition(full, message.value_or(""));
    e.source = *def_file;
  } else {
    throw input_error(file, path, "a definition entry with \"file\" or \"definition\"");
  }
  auto ep = r.string("endpoint", "the name of one of the scenario's endpoints");
  if (!ep) r.fail("endpoint", "a required key: the name of one of the scenario's endpoints");
  e.endpoint = *ep;
  if (const json* w = r.find("workload"))
    e.work = read_workload(*w, file, r.at("workload"), length);
  return e;
}

// The JSON pointer of fault `i` in a plan written as an array or as {"faults": [...]}.
std::string fault_path(const json& plan, const std::string& path, std::size_t i) {
  return path + (plan.is_object() ? "/faults/" : "/") + std::to_string(i);
}

// Takes the scenario-only key "expect_fired" out of each fault (the mock's plan has no such key).
std::vector<bool> take_expect_fired(json& plan, const std::string& file, const std::string& path) {
  json* list = plan.is_object() && plan.contains("faults") ? &plan["faults"] : &plan;
  std::vector<bool> out;
  if (!list->is_array()) return out;  // the plan reader names the mistake
  for (std::size_t i = 0; i < list->size(); ++i) {
    json& f = (*list)[i];
    bool expect = false;
    if (f.is_object() && f.contains("expect_fired")) {
      if (!f["expect_fired"].is_boolean())
        throw input_error(file, fault_path(plan, path, i) + "/expect_fired", "true or false");
      expect = f["expect_fired"].get<bool>();
      f.erase("expect_fired");
    }
    out.push_back(expect);
  }
  return out;
}

endpoint_entry read_endpoint(const json& j, const std::string& file, const std::string& path) {
  json_reader r(j, file, path, "an endpoint object with \"name\"");
  r.only({"name", "path", "https", "faults"});
  endpoint_entry e;
  auto name = r.string("name", "a name such as \"sap\"");
  if (!name || name->empty()) r.fail("name", "a required key: a name such as \"sap\"");
  e.name = *name;
  e.path = r.string("path", "a request path such as \"/sap/account\"").value_or("/");
  if (e.path.empty() || e.path[0] != '/') r.fail("path", "a request path starting with /");
  if (const json* h = r.find("https")) {
    if (!h->is_boolean()) r.fail("https", "true or false");
    e.https = h->get<bool>();
  }
  if (const json* f = r.find("faults")) {
    json plan = *f;
    e.expect_fired = take_expect_fired(plan, file, r.at("faults"));
    e.faults = mock_endpoint::fault_plan_from_json(plan, file, r.at("faults"));
    e.faults_json = *f;
  }
  e.expect_fired.resize(e.faults.faults.size(), false);
  // Faults without a window length are the endpoint's usual behaviour (a response time, a rate
  // of errors), not an outage: they do not move the recovery.
  duration recovery{};
  for (const auto& f : e.faults.faults)
    if (f.for_) recovery = std::max(recovery, f.after + *f.for_);
  e.recovery = recovery;
  return e;
}

time_point read_start(const json_reader& r) {
  auto s = r.string("start", "a UTC timestamp such as \"2026-01-05T08:00:00Z\"");
  if (!s) return default_start();
  auto t = parse_timestamp(*s);
  if (!t) r.fail("start", "a UTC timestamp such as \"2026-01-05T08:00:00Z\"");
  return *t;
}

delivery_settings read_delivery(const json& j, const std::string& file, const std::string& path) {
  json_reader r(j, file, path, "a delivery object");
  r.only({"retry", "batch_size", "connections", "timeout"});
  delivery_settings d;
  if (const json* p = r.find("retry")) {
    if (!p->is_string() && !p->is_object())
      r.fail("retry", "a policy name such as \"salesforce\" or a policy object");
    d.retry = *p;
  }
  d.batch_size = r.count("batch_size").value_or(100);
  if (d.batch_size < 1 || d.batch_size > 100) r.fail("batch_size", "a batch size from 1 to 100");
  d.connections = r.count("connections").value_or(10);
  if (d.connections < 1 || d.connections > 1000) r.fail("connections", "from 1 to 1000");
  d.timeout = r.span("timeout").value_or(d.timeout);
  if (d.timeout <= duration{}) r.fail("timeout", std::string(duration_words) + " above 0");
  return d;
}

template <class T, class F>
std::vector<T> read_list(const json_reader& r, std::string_view key, std::string_view what,
                         F read_one) {
  const json& list = r.required(key, what);
  if (!list.is_array() || list.empty()) r.fail(key, std::string(what));
  std::vector<T> out;
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(read_one(list[i], r.at(key) + "/" + std::to_string(i)));
  return out;
}

// A fault window that opens after the run has ended can never fire.
void refuse_faults_after_the_end(const scenario& s, const std::string& file) {
  for (std::size_t i = 0; i < s.endpoints.size(); ++i) {
    const auto& e = s.endpoints[i];
    for (std::size_t k = 0; k < e.faults.faults.size(); ++k)
      if (e.faults.faults[k].after >= s.run_until)
        throw input_error(
            file,
            fault_path(e.faults_json, "/endpoints/" + std::to_string(i) + "/faults", k) + "/after",
            "a time before the run ends (run_until " + format_duration(s.run_until) + ")");
  }
}

bool uses_https(const definition_entry& d) {
  return d.definition.endpoint_url.rfind("https:", 0) == 0;
}

// An endpoint without "https" serves HTTPS when the definitions it serves use https URLs. Then
// the https-only rules must hold: a session id goes only to an https endpoint, and a tls_* fault
// needs one to fire (over plain HTTP it never could: refused rather than passed over).
void settle_https(scenario& s, const json& j, const std::string& file) {
  for (std::size_t i = 0; i < s.endpoints.size(); ++i) {
    auto& e = s.endpoints[i];
    const std::string at = "/endpoints/" + std::to_string(i);
    if (!j.at("endpoints").at(i).contains("https")) {
      bool any = false, all = true;
      for (const auto& d : s.definitions) {
        if (d.endpoint != e.name) continue;
        any = true;
        all = all && uses_https(d);
      }
      e.https = any && all;
    }
    for (std::size_t k = 0; k < e.faults.faults.size(); ++k) {
      const auto kind = e.faults.faults[k].kind;
      if (e.https || !mock_endpoint::is_tls_fault(kind)) continue;
      throw input_error(file, fault_path(e.faults_json, at + "/faults", k) + "/kind",
                        "a fault this endpoint can inject: it serves plain HTTP, where \"" +
                            std::string(mock_endpoint::to_string(kind)) +
                            "\" never fires (set \"https\": true on the endpoint, or give its "
                            "definitions https endpoint URLs)");
    }
  }
  for (std::size_t i = 0; i < s.definitions.size(); ++i) {
    const auto& d = s.definitions[i];
    if (d.definition.include_session_id && !s.endpoint_named(d.endpoint).https)
      throw input_error(file, "/definitions/" + std::to_string(i) + "/endpoint",
                        "an https endpoint: Salesforce sends a session id only over https, and "
                        "this definition includes one");
  }
}

}  // namespace

std::string_view to_string(clock_kind k) {
  return k == clock_kind::real ? "real" : "virtual";
}

std::string_view to_string(user_action::kind k) {
  switch (k) {
    case user_action::kind::retry:
      return "retry";
    case user_action::kind::retry_failed:
      return "retry_failed";
    case user_action::kind::remove:
      return "delete";
    case user_action::kind::crash:
      return "crash";
  }
  return "?";
}

bool has_crash(const scenario& s) {
  return std::any_of(s.actions.begin(), s.actions.end(),
                     [](const user_action& a) { return a.what == user_action::kind::crash; });
}

namespace {

constexpr std::string_view action_states =
    "a delivery-status state to pick the oldest notification from: queued, retrying, failed";

user_action read_action(const json& j, const std::string& file, const std::string& path,
                        const scenario& s) {
  json_reader r(j, file, path, "an action such as {\"at\": \"2h\", \"do\": \"retry_failed\"}");
  r.only({"at", "do", "notification", "state", "definition", "note"});
  user_action a;
  a.path = path;
  r.required("at", "the time after the start, such as \"2h\"");
  a.at = *r.span("at");
  if (a.at > s.run_until)
    r.fail("at", "a time within the run, at most run_until (" + format_duration(s.run_until) + ")");
  const auto what = r.string("do", "retry, retry_failed, delete or crash");
  if (!what) r.fail("do", "a required key: retry, retry_failed, delete or crash");
  if (*what == "retry") {
    a.what = user_action::kind::retry;
  } else if (*what == "retry_failed") {
    a.what = user_action::kind::retry_failed;
  } else if (*what == "delete") {
    a.what = user_action::kind::remove;
  } else if (*what == "crash") {
    a.what = user_action::kind::crash;
  } else {
    r.fail("do",
           "retry (one row), retry_failed (the failed list), delete (one row) or crash (the sender "
           "restarts)");
  }
  a.notification =
      r.string("notification", "a notification id such as \"04l000000000001AAA\"").value_or("");
  a.state = r.string("state", std::string(action_states)).value_or("");
  a.definition = r.string("definition", "a definition's full name").value_or("");
  (void)r.string("note", "free text");
  if (a.what == user_action::kind::retry_failed || a.what == user_action::kind::crash) {
    for (std::string_view key : {"notification", "state", "definition"})
      if (r.find(key))
        r.fail(key, "no such key for " + std::string(to_string(a.what)) + " (it acts on no row)");
    return a;
  }
  if (a.notification.empty() == a.state.empty())
    r.fail(a.notification.empty() ? "state" : "notification",
           "either \"notification\" (an id) or \"state\" (pick the oldest in it), not both");
  if (!a.state.empty() && a.state != "queued" && a.state != "retrying" && a.state != "failed")
    r.fail("state", std::string(action_states));
  if (!a.notification.empty() && a.notification.size() != 18 && a.notification.size() != 15)
    r.fail("notification", "a notification id of 15 or 18 characters");
  if (!a.definition.empty()) {
    if (a.state.empty()) r.fail("definition", "only with \"state\"");
    bool known = false;
    for (const auto& d : s.definitions) known |= d.definition.full_name == a.definition;
    if (!known) r.fail("definition", "the full name of one of the scenario's definitions");
  }
  return a;
}

}  // namespace

std::string describe(const count_range& r) {
  constexpr auto none = std::numeric_limits<std::uint64_t>::max();
  if (r.min == r.max) return std::to_string(r.min);
  if (r.max == none) return ">= " + std::to_string(r.min);
  if (r.min == 0) return "<= " + std::to_string(r.max);
  return std::to_string(r.min) + ".." + std::to_string(r.max);
}

time_point default_start() {
  return *parse_timestamp("2026-01-05T08:00:00Z");
}

const endpoint_entry& scenario::endpoint_named(const std::string& n) const {
  for (const auto& e : endpoints)
    if (e.name == n) return e;
  throw std::out_of_range("no endpoint named " + n);
}

scenario scenario_from_json(const json& j, const std::filesystem::path& path) {
  const std::string file = path.string();
  json_reader r(j, file, "", "a scenario object");
  r.only({"$schema", "name", "description", "seed", "clock", "start", "duration", "run_until",
          "delivery", "endpoints", "definitions", "actions", "expectations"});
  scenario s;
  s.file = path;
  s.source = j;
  auto name = r.string("name", "a name such as \"sap_downtime\"");
  if (!name || name->empty() || name->find_first_of("/\\") != std::string::npos)
    r.fail("name", "a required key: a name such as \"sap_downtime\" (used as a folder name)");
  s.name = *name;
  s.description = r.string("description", "a description as a string").value_or("");
  s.seed = r.count("seed").value_or(1);
  if (auto c = r.string("clock", "\"real\" or \"virtual\"")) {
    if (*c != "real" && *c != "virtual") r.fail("clock", "\"real\" or \"virtual\"");
    s.clock = *c == "real" ? clock_kind::real : clock_kind::virtual_time;
  }
  s.start = read_start(r);
  auto length = r.span("duration");
  if (!length) r.fail("duration", "a required key: how long the workload runs, such as \"10h\"");
  s.length = *length;
  s.run_until = r.span("run_until").value_or(s.length + std::chrono::hours(26));
  if (s.run_until < s.length) r.fail("run_until", "a duration >= the scenario's duration");
  if (const json* d = r.find("delivery")) s.delivery = read_delivery(*d, file, r.at("delivery"));

  s.endpoints = read_list<endpoint_entry>(
      r, "endpoints", "a non-empty array of endpoints",
      [&](const json& e, const std::string& p) { return read_endpoint(e, file, p); });
  std::set<std::string> endpoint_names;
  for (std::size_t i = 0; i < s.endpoints.size(); ++i)
    if (!endpoint_names.insert(s.endpoints[i].name).second)
      throw input_error(file, "/endpoints/" + std::to_string(i) + "/name", "a unique name");
  refuse_faults_after_the_end(s, file);

  const auto folder = path.parent_path();
  s.definitions =
      read_list<definition_entry>(r, "definitions", "a non-empty array of definitions",
                                  [&](const json& e, const std::string& p) {
                                    return read_definition(e, file, p, folder, s.length);
                                  });
  std::set<std::string> definition_names;
  for (std::size_t i = 0; i < s.definitions.size(); ++i) {
    const std::string at = "/definitions/" + std::to_string(i);
    if (!endpoint_names.count(s.definitions[i].endpoint))
      throw input_error(file, at + "/endpoint", "the name of one of the scenario's endpoints");
    if (!definition_names.insert(s.definitions[i].definition.full_name).second)
      throw input_error(file, at, "a definition whose full name is not used before");
  }
  settle_https(s, j, file);
  if (const json* a = r.find("actions")) {
    if (!a->is_array()) r.fail("actions", "an array of user actions");
    for (std::size_t i = 0; i < a->size(); ++i)
      s.actions.push_back(read_action((*a)[i], file, r.at("actions") + "/" + std::to_string(i), s));
    std::stable_sort(s.actions.begin(), s.actions.end(),
                     [](const user_action& x, const user_action& y) { return x.at < y.at; });
  }
  if (const json* e = r.find("expectations"))
    s.expectations = detail::read_expectations(*e, file, r.at("expectations"), s);
  for (const auto& e : s.expectations)
    if (e.what == expectation::kind::status_at && e.at > s.run_until)
      throw input_error(
          file, e.path.substr(0, e.path.rfind("/status")) + "/at",
          "a time within the run, at most run_until (" + format_duration(s.run_until) + ")");
  return s;
}

scenario load_scenario(const std::filesystem::path& file) {
  const json j = parse_json(read_input_file(file, "a scenario file"), file.string());
  return read_json_guarded(file.string(), [&] { return scenario_from_json(j, file); });
}

}  // namespace outbound::scenarios
