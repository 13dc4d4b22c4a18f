#include "mock_endpoint/fault_plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "common/input_error.hpp"
#include "common/input_file.hpp"
#include "common/json_text.hpp"

namespace outbound::mock_endpoint {
namespace {

using nlohmann::json;

// The parameters each kind accepts besides the common ones.
const std::set<std::string>& parameters_of(fault_kind k) {
  static const std::set<std::string> none;
  static const std::set<std::string> stall{"hold", "after_read"};
  static const std::set<std::string> http_status{"status", "reason", "retry_after", "body",
                                                 "content_type"};
  static const std::set<std::string> html{"status", "reason"};
  static const std::set<std::string> content_type{"content_type"};
  static const std::set<std::string> soap_fault{"status", "faultcode", "faultstring"};
  static const std::set<std::string> body{"body"};
  static const std::set<std::string> status{"status"};
  static const std::set<std::string> bytes{"bytes"};
  static const std::set<std::string> delay{"distribution", "value",  "min",    "max",
                                           "mean",         "stddev", "median", "sigma",
                                           "scale",        "alpha",  "cap"};
  static const std::set<std::string> slow{"bytes", "interval"};
  static const std::set<std::string> bandwidth{"bytes_per_second"};
  switch (k) {
    case fault_kind::stall:
      return stall;
    case fault_kind::http_status:
      return http_status;
    case fault_kind::html_error_page:
      return html;
    case fault_kind::wrong_content_type:
      return content_type;
    case fault_kind::soap_fault:
      return soap_fault;
    case fault_kind::not_an_ack:
      return body;
    case fault_kind::empty_body:
      return status;
    case fault_kind::truncated_body:
    case fault_kind::garbage:
      return bytes;
    case fault_kind::delay:
      return delay;
    case fault_kind::slow_body:
      return slow;
    case fault_kind::bandwidth:
      return bandwidth;
    default:
      return none;
  }
}

bool is_header_text(const std::string& v) {
  return std::none_of(v.begin(), v.end(),
                      [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; });
}

const std::set<std::string> common_keys{"kind",  "probability", "after", "for",   "first",
                                        "every", "note",        "when",  "beyond"};

// A fault decided before the request is read cannot look at it.
bool reads_the_request(const fault& f) {
  return !is_connection_fault(f.kind) || (f.kind == fault_kind::stall && f.after_read);
}

// Reads the fields of one fault object; `at` is its JSON pointer.
class reader {
 public:
  reader(const json& j, const std::string& file, std::string at)
      : j_(j), file_(file), at_(std::move(at)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& expected) const {
    throw input_error(file_, key.empty() ? at_ : at_ + "/" + key, expected);
  }
  bool has(const char* key) const { return j_.contains(key); }

  std::string string(const char* key, std::string fallback = {}) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_string()) fail(key, "a string");
    return j_[key].get<std::string>();
  }
  // Text that goes into a response header: a CR or LF would end the header (and start another
  // one of the plan's choosing), a NUL or other control character is no header text.
  std::string header_text(const char* key, std::string fallback = {}) const {
    std::string v = string(key, std::move(fallback));
    if (!is_header_text(v)) fail(key, "header text without control characters (CR, LF, NUL)");
    return v;
  }
  duration dur(const char* key, duration fallback = {}) const {
    if (!has(key)) return fallback;
    const json& v = j_[key];
    std::optional<duration> d;
    if (v.is_string()) d = parse_duration(v.get<std::string>());
    if (!d) fail(key, "a duration such as 250ms, 90s or 1h30m");
    return *d;
  }
  std::uint64_t count(const char* key, std::uint64_t fallback, std::uint64_t min = 1) const {
    if (!has(key)) return fallback;
    const json& v = j_[key];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() < min)
      fail(key, "an integer of at least " + std::to_string(min));
    return v.get<std::uint64_t>();
  }
  double number(const char* key, double fallback, double min, double max) const {
    if (!has(key)) return fallback;
    const json& v = j_[key];
    if (!v.is_number() || v.get<double>() < min || v.get<double>() > max) {
      std::ostringstream s;
      s << "a number from " << min << " to " << max;
      fail(key, s.str());
    }
    return v.get<double>();
  }
  // Seconds as a number, or any header text such as an HTTP date.
  std::string retry_after() const {
    const json& v = j_["retry_after"];
    if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
    if (!v.is_string() || v.get<std::string>().empty() || !is_header_text(v.get<std::string>()))
      fail("retry_after",
           "seconds (an integer) or a header value (a string without control "
           "characters)");
    return v.get<std::string>();
  }
  bool boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_boolean()) fail(key, "true or false");
    return j_[key].get<bool>();
  }
  int status(int fallback) const {
    if (!has("status")) {
      if (fallback == 0) fail("status", "a status code from 100 to 599 (required)");
      return fallback;
    }
    const json& v = j_["status"];
    if (!v.is_number_integer() || v.get<std::int64_t>() < 100 || v.get<std::int64_t>() > 599)
      fail("status", "a status code from 100 to 599");
    return v.get<int>();
  }

 private:
  const json& j_;
  const std::string& file_;
  std::string at_;
};

delay_spec read_delay(const reader& r) {
  delay_spec d;
  const std::string shape = r.string("distribution", "fixed");
  if (shape == "fixed") {
    d.shape = distribution::fixed;
    if (!r.has("value")) r.fail("value", "a duration (required for a fixed delay)");
    d.value = r.dur("value");
  } else if (shape == "uniform") {
    d.shape = distribution::uniform;
    d.min = r.dur("min");
    if (!r.has("max")) r.fail("max", "a duration (required for a uniform delay)");
    d.max = r.dur("max");
    if (d.max < d.min) r.fail("max", "a duration not less than min");
  } else if (shape == "normal") {
    d.shape = distribution::normal;
    if (!r.has("mean")) r.fail("mean", "a duration (required for a normal delay)");
    d.mean = r.dur("mean");
    d.stddev = r.dur("stddev");
  } else if (shape == "lognormal") {
    d.shape = distribution::lognormal;
    if (!r.has("median")) r.fail("median", "a duration (required for a lognormal delay)");
    d.median = r.dur("median");
    d.sigma = r.number("sigma", 0.5, 0, 10);
  } else if (shape == "pareto") {
    d.shape = distribution::pareto;
    if (!r.has("scale")) r.fail("scale", "a duration (required for a pareto delay)");
    d.scale = r.dur("scale");
    if (d.scale <= duration::zero()) r.fail("scale", "a duration longer than 0s");
    d.alpha = r.number("alpha", 1.5, 0.01, 100);
  } else {
    r.fail("distribution", "one of fixed, uniform, normal, lognormal, pareto");
  }
  if (r.has("cap")) d.cap = r.dur("cap");
  return d;
}

void read_parameters(fault& f, const reader& r) {
  switch (f.kind) {
    case fault_kind::stall:
      f.hold = r.dur("hold", std::chrono::minutes(10));
      f.after_read = r.boolean("after_read", false);
      break;
    case fault_kind::http_status:
      f.status = r.status(0);
      f.reason = r.header_text("reason");
      if (r.has("retry_after")) f.retry_after = r.retry_after();
      if (r.has("body")) f.body = r.string("body");
      f.content_type = r.header_text("content_type", "text/plain; charset=utf-8");
      break;
    case fault_kind::html_error_page:
      f.status = r.status(502);
      f.reason = r.header_text("reason");
      break;
    case fault_kind::wrong_content_type:
      f.content_type = r.header_text("content_type", "text/html; charset=utf-8");
      break;
    case fault_kind::soap_fault:
      f.status = r.status(500);
      f.faultcode = r.string("faultcode", "soapenv:Server");
      f.faultstring = r.string("faultstring", "Internal Server Error");
      break;
    case fault_kind::not_an_ack:
      if (r.has("body")) f.body = r.string("body");
      break;
    case fault_kind::empty_body:
      f.status = r.status(200);
      break;
    case fault_kind::truncated_body:
      if (r.has("bytes")) f.bytes = r.count("bytes", 0, 0);
      break;
    case fault_kind::garbage:
      f.bytes = r.count("bytes", 64, 1);
      if (*f.bytes > max_garbage_bytes)
        r.fail("bytes", "an integer from 1 to " + std::to_string(max_garbage_bytes) + " (16 MiB)");
      break;
    case fault_kind::delay:
      f.delay = read_delay(r);
      break;
    case fault_kind::slow_body:
      f.bytes = r.count("bytes", 1, 1);
      if (!r.has("interval")) r.fail("interval", "a duration (required for slow_body)");
      f.interval = r.dur("interval");
      break;
    case fault_kind::bandwidth:
      if (!r.has("bytes_per_second")) r.fail("bytes_per_second", "an integer of at least 1");
      f.bytes_per_second = r.count("bytes_per_second", 0, 1);
      break;
    default:
      break;
  }
}

// "when": {"record_id": "..."} or {"field": "Name", "equals": "..."}; "beyond":
// {"requests_per_second": N} or {"concurrent_requests": N}.
void read_conditions(fault& f, const json& j, const std::string& file, const std::string& at) {
  for (const char* key : {"when", "beyond"})
    if (j.contains(key) && !reads_the_request(f))
      throw input_error(file, at + "/" + key,
                        "no request condition for " + std::string(to_string(f.kind)) +
                            ": it is decided when the connection arrives, before any request");
  if (j.contains("when")) {
    const json& w = j["when"];
    const std::string path = at + "/when";
    constexpr std::string_view what =
        "{\"record_id\": \"001...\"} or {\"field\": \"Name\", \"equals\": \"...\"}";
    if (!w.is_object() || w.empty()) throw input_error(file, path, std::string(what));
    reader r(w, file, path);
    for (const auto& [key, value] : w.items())
      if (key != "record_id" && key != "field" && key != "equals")
        r.fail(key, "no such key in \"when\" (record_id, field, equals)");
    if (r.has("record_id")) {
      f.when_record = r.string("record_id");
      if (f.when_record->size() != 15 && f.when_record->size() != 18)
        r.fail("record_id", "a record id of 15 or 18 characters");
    }
    if (r.has("field") != r.has("equals"))
      r.fail(r.has("field") ? "equals" : "field", "\"field\" and \"equals\" together");
    if (r.has("field")) {
      f.when_field = r.string("field");
      f.when_equals = r.string("equals");
      if (f.when_field->empty()) r.fail("field", "a field name such as \"Name\"");
    }
    if (f.when_record && f.when_field)
      r.fail("field", "either record_id or field/equals, not both");
  }
  if (j.contains("beyond")) {
    const json& b = j["beyond"];
    const std::string path = at + "/beyond";
    constexpr std::string_view what =
        "{\"requests_per_second\": N} or {\"concurrent_requests\": N}";
    if (!b.is_object() || b.size() != 1) throw input_error(file, path, std::string(what));
    reader r(b, file, path);
    if (r.has("requests_per_second")) {
      f.beyond_per_second = r.count("requests_per_second", 1, 1);
    } else if (r.has("concurrent_requests")) {
      f.beyond_concurrent = r.count("concurrent_requests", 1, 1);
    } else {
      throw input_error(file, path + "/" + b.begin().key(), std::string(what));
    }
  }
}

fault read_fault(const json& j, const std::string& file, const std::string& at) {
  if (!j.is_object()) throw input_error(file, at, "a fault object with a \"kind\"");
  reader r(j, file, at);
  if (!j.contains("kind") || !j["kind"].is_string())
    r.fail("kind", "a fault kind (see docs/faults.md)");
  fault f;
  auto kind = fault_kind_from_string(j["kind"].get<std::string>());
  if (!kind) {
    r.fail("kind",
           "one of refuse, close, stall, reset_before_read, reset_after_read, tls_untrusted, "
           "tls_hostname, tls_expired, tls_client_certificate, http_status, html_error_page, "
           "wrong_content_type, nack, "
           "soap_fault, not_an_ack, empty_body, truncated_body, garbage, delay, slow_body, "
           "bandwidth");
  }
  f.kind = *kind;
  const auto& params = parameters_of(f.kind);
  for (const auto& [key, value] : j.items()) {
    if (!common_keys.count(key) && !params.count(key)) {
      std::string allowed = "kind, probability, after, for, first, every, note, when, beyond";
      for (const auto& p : params) allowed += ", " + p;
      r.fail(key,
             "no such key for " + std::string(to_string(f.kind)) + " (allowed: " + allowed + ")");
    }
  }
  f.probability = r.number("probability", 1.0, 0.0, 1.0);
  f.after = r.dur("after");
  if (r.has("for")) {
    f.for_ = r.dur("for");
    if (*f.for_ <= duration::zero())
      r.fail("for", "a duration longer than 0s (a window that lasts)");
  }
  if (r.has("first")) f.first = r.count("first", 1);
  if (r.has("every")) f.every = r.count("every", 1);
  f.note = r.string("note");
  read_parameters(f, r);
  read_conditions(f, j, file, at);  // after the parameters: a stall's after_read decides
  return f;
}

json delay_to_json(const delay_spec& d, json& j) {
  auto put = [&](const char* key, duration v) { j[key] = format_duration(v); };
  switch (d.shape) {
    case distribution::fixed:
      j["distribution"] = "fixed";
      put("value", d.value);
      break;
    case distribution::uniform:
      j["distribution"] = "uniform";
      put("min", d.min);
      put("max", d.max);
      break;
    case distribution::normal:
      j["distribution"] = "normal";
      put("mean", d.mean);
      put("stddev", d.stddev);
      break;
    case distribution::lognormal:
      j["distribution"] = "lognormal";
      put("median", d.median);
      j["sigma"] = d.sigma;
      break;
    case distribution::pareto:
      j["distribution"] = "pareto";
      put("scale", d.scale);
      j["alpha"] = d.alpha;
      break;
  }
  if (d.cap) put("cap", *d.cap);
  return j;
}

json fault_to_json(const fault& f) {
  json j;
  j["kind"] = std::string(to_string(f.kind));
  if (f.probability != 1.0) j["probability"] = f.probability;
  if (f.after != duration{}) j["after"] = format_duration(f.after);
  if (f.for_) j["for"] = format_duration(*f.for_);
  if (f.first) j["first"] = *f.first;
  if (f.every) j["every"] = *f.every;
  if (!f.note.empty()) j["note"] = f.note;
  if (f.when_record) j["when"] = {{"record_id", *f.when_record}};
  if (f.when_field) j["when"] = {{"field", *f.when_field}, {"equals", f.when_equals.value_or("")}};
  if (f.beyond_per_second) j["beyond"] = {{"requests_per_second", *f.beyond_per_second}};
  if (f.beyond_concurrent) j["beyond"] = {{"concurrent_requests", *f.beyond_concurrent}};
  const auto& params = parameters_of(f.kind);
  auto maybe = [&](const char* key, auto value) {
    if (params.count(key)) j[key] = value;
  };
  if (f.status != 0) maybe("status", f.status);
  if (!f.reason.empty()) maybe("reason", f.reason);
  if (f.retry_after) maybe("retry_after", *f.retry_after);
  if (f.body) maybe("body", *f.body);
  if (!f.content_type.empty()) maybe("content_type", f.content_type);
  if (!f.faultcode.empty()) maybe("faultcode", f.faultcode);
  if (!f.faultstring.empty()) maybe("faultstring", f.faultstring);
  if (f.bytes) maybe("bytes", *f.bytes);
  if (f.kind == fault_kind::slow_body) j["interval"] = format_duration(f.interval);
  if (f.kind == fault_kind::bandwidth) j["bytes_per_second"] = f.bytes_per_second;
  if (f.kind == fault_kind::stall) {
    j["hold"] = format_duration(f.hold);
    if (f.after_read) j["after_read"] = true;
  }
  if (f.kind == fault_kind::delay) delay_to_json(f.delay, j);
  return j;
}

}  // namespace

duration sample(const delay_spec& d, random& rng) {
  double us = 0;
  switch (d.shape) {
    case distribution::fixed:
      us = static_cast<double>(d.value.count());
      break;
    case distribution::uniform:
      us = static_cast<double>(d.min.count()) +
           rng.uniform() * static_cast<double>((d.max - d.min).count());
      break;
    case distribution::normal:
    case distribution::lognormal: {
      // Box-Muller from our own uniforms, so the samples are the same on every standard library.
      const double u1 = 1.0 - rng.uniform();
      const double u2 = rng.uniform();
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
      if (d.shape == distribution::normal) {
        us = static_cast<double>(d.mean.count()) + z * static_cast<double>(d.stddev.count());
      } else {
        us = static_cast<double>(d.median.count()) * std::exp(d.sigma * z);
      }
      break;
    }
    case distribution::pareto:
      us = static_cast<double>(d.scale.count()) / std::pow(1.0 - rng.uniform(), 1.0 / d.alpha);
      break;
  }
  double cap = d.cap ? static_cast<double>(d.cap->count()) : 100.0 * 365 * 86'400e6;
  if (std::isnan(us)) us = cap;  // 0/0 from an extreme draw: never cast NaN to an integer
  us = std::clamp(us, 0.0, cap);
  return duration(static_cast<std::int64_t>(us));
}

fault_plan fault_plan_from_json(const json& j, const std::string& file, const std::string& path) {
  const json* list = &j;
  std::string at = path;
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if (key != "faults" && key != "description")
        throw input_error(file, path + "/" + key,
                          "no such key in a fault plan (faults, description)");
    }
    if (!j.contains("faults")) throw input_error(file, path + "/faults", "an array of faults");
    list = &j["faults"];
    at = path + "/faults";
  }
  if (!list->is_array()) throw input_error(file, at, "an array of faults");
  fault_plan plan;
  for (std::size_t i = 0; i < list->size(); ++i) {
    plan.faults.push_back(read_fault((*list)[i], file, at + "/" + std::to_string(i)));
  }
  return plan;
}

fault_plan load_fault_plan(const std::filesystem::path& file) {
  const std::string name = file.string();
  const json j = parse_json(read_input_file(file, "a fault plan file"), name);
  return read_json_guarded(name, [&] { return fault_plan_from_json(j, name); });
}

bool fault_plan::has_limits() const {
  return std::any_of(faults.begin(), faults.end(), [](const fault& f) {
    return f.beyond_per_second.has_value() || f.beyond_concurrent.has_value();
  });
}

fault fault_from_json(const json& j, const std::string& file, const std::string& path) {
  return read_fault(j, file, path);
}

json to_json(const fault& f) {
  return fault_to_json(f);
}

json to_json(const fault_plan& p) {
  json list = json::array();
  for (const auto& f : p.faults) list.push_back(fault_to_json(f));
  return json{{"faults", list}};
}

void refuse_tls_faults_without_tls(const fault_plan& p, bool tls, const std::string& file) {
  if (tls) return;
  for (std::size_t i = 0; i < p.faults.size(); ++i) {
    const auto k = p.faults[i].kind;
    if (k != fault_kind::tls_untrusted && k != fault_kind::tls_hostname &&
        k != fault_kind::tls_expired)
      continue;
    throw input_error(file, "",
                      "fault " + std::to_string(i + 1) + " is " + std::string(to_string(k)) +
                          ", which can fire only over HTTPS: start the mock with --tls-cert and "
                          "--tls-key, or remove it");
  }
}

}  // namespace outbound::mock_endpoint
