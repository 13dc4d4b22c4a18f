// Retry schedules: the arithmetic of next attempts and expiry, and the string and JSON forms.
#include "sender/retry_policy.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "common/input_error.hpp"
#include "common/text.hpp"

namespace outbound::sender {
namespace {

// The command-line form allows spaces around its parts (not tabs or line ends).
constexpr std::string_view blanks = " ";

using namespace std::chrono_literals;

// Longer than any schedule needs; keeps the double arithmetic far from overflow.
constexpr double max_interval_us = 365.0 * 24 * 3600 * 1e6;

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    auto at = s.find(sep);
    parts.push_back(trim(s.substr(0, at), blanks));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

std::optional<double> parse_number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string number_text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ec == std::errc() ? end : buf);
}

// Checks shared by both syntaxes; `where` names the part for the error message.
void check(const retry_policy& p, const std::string& file, const std::string& where) {
  auto fail = [&](const std::string& what) { throw input_error(file, where, what); };
  if (p.kind != backoff::list && p.base <= duration::zero())
    fail("a positive first interval for a " + std::string(to_string(p.kind)) + " policy");
  if (p.kind == backoff::exponential && !(p.factor >= 1.0 && p.factor <= 1000.0))
    fail("an exponential factor between 1 and 1000 (got " + number_text(p.factor) + ")");
  if (p.kind == backoff::list && p.intervals.empty())
    fail("at least one interval in a list policy, such as list:5s,5m,30m");
  for (auto d : p.intervals)
    if (d <= duration::zero()) fail("positive intervals in a list policy");
  if (p.cap < duration::zero()) fail("a cap that is not negative");
  if (!(p.jitter >= 0.0 && p.jitter < 1.0))
    fail("a jitter from 0 to less than 1 (or 0% to 99%), got " + number_text(p.jitter));
  if (p.max_attempts && *p.max_attempts < 1) fail("max_attempts of at least 1");
  if (p.max_age && *p.max_age <= duration::zero()) fail("a positive max_age");
}

retry_policy start_of(std::string_view kind, const std::string& file, const std::string& where) {
  if (kind == "salesforce") return retry_policy::salesforce();
  retry_policy p;
  p.name = std::string(kind);
  if (kind == "fixed")
    p.kind = backoff::fixed;
  else if (kind == "linear")
    p.kind = backoff::linear;
  else if (kind == "exponential")
    p.kind = backoff::exponential;
  else if (kind == "list")
    p.kind = backoff::list;
  else
    throw input_error(
        file, where,
        "a retry policy kind: salesforce, fixed, linear, exponential or list (got \"" +
            std::string(kind) + "\")");
  return p;
}

duration need_duration(std::string_view text, const std::string& file, const std::string& where) {
  auto d = parse_duration(text);
  if (!d)
    throw input_error(file, where,
                      "a duration such as 15s, 5m or 1h30m (got \"" + std::string(text) + "\")");
  return *d;
}

int need_count(std::string_view text, const std::string& file, const std::string& where) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1)
    throw input_error(file, where,
                      "a whole number of at least 1 (got \"" + std::string(text) + "\")");
  return v;
}

double need_jitter(std::string_view text, const std::string& file, const std::string& where) {
  bool percent = !text.empty() && text.back() == '%';
  auto v = parse_number(percent ? text.substr(0, text.size() - 1) : text);
  if (!v) throw input_error(file, where, "a fraction such as 0.1 or a percentage such as 10%");
  return percent ? *v / 100.0 : *v;
}

bool need_retry_after(std::string_view text, const std::string& file, const std::string& where) {
  if (text == "honor") return true;
  if (text == "ignore") return false;
  throw input_error(file, where, "honor or ignore");
}

void apply_option(retry_policy& p, std::string_view option, const std::string& file) {
  auto eq = option.find('=');
  std::string_view key = trim(option.substr(0, eq), blanks);
  std::string_view value = eq == std::string_view::npos ? "" : trim(option.substr(eq + 1), blanks);
  std::string where = std::string(key);
  if (key == "max_attempts")
    p.max_attempts = need_count(value, file, where);
  else if (key == "max_age")
    p.max_age = need_duration(value, file, where);
  else if (key == "jitter")
    p.jitter = need_jitter(value, file, where);
  else if (key == "cap")
    p.cap = need_duration(value, file, where);
  else if (key == "retry_after")
    p.honor_retry_after = need_retry_after(value, file, where);
  else
    throw input_error(file, std::string(option),
                      "an option max_attempts=N, max_age=DURATION, jitter=FRACTION, cap=DURATION "
                      "or retry_after=honor|ignore");
}

// The positional arguments after "KIND:".
void apply_arguments(retry_policy& p, const std::vector<std::string_view>& args,
                     const std::string& file) {
  const std::string kind(to_string(p.kind));
  auto arity = [&](std::size_t lo, std::size_t hi, const char* usage) {
    if (args.size() < lo || args.size() > hi)
      throw input_error(file, kind, std::string("arguments as in ") + usage);
  };
  if (p.name == "salesforce") {
    arity(0, 0, "salesforce[,max_age=48h]");
    return;
  }
  switch (p.kind) {
    case backoff::fixed:
      arity(1, 1, "fixed:30s");
      p.base = need_duration(args[0], file, "fixed interval");
      break;
    case backoff::linear:
      arity(1, 2, "linear:10s[,1h]");
      p.base = need_duration(args[0], file, "linear step");
      if (args.size() > 1) p.cap = need_duration(args[1], file, "linear cap");
      break;
    case backoff::exponential: {
      arity(2, 3, "exponential:15s,2[,2h]");
      p.base = need_duration(args[0], file, "exponential first interval");
      auto f = parse_number(args[1]);
      if (!f) throw input_error(file, "exponential factor", "a number such as 2");
      p.factor = *f;
      if (args.size() > 2) p.cap = need_duration(args[2], file, "exponential cap");
      break;
    }
    case backoff::list:
      arity(1, 1000, "list:5s,5m,30m,2h");
      for (std::size_t i = 0; i < args.size(); ++i)
        p.intervals.push_back(
            need_duration(args[i], file, "list interval " + std::to_string(i + 1)));
      break;
  }
}

}  // namespace

std::string_view to_string(backoff b) {
  switch (b) {
    case backoff::fixed:
      return "fixed";
    case backoff::linear:
      return "linear";
    case backoff::exponential:
      return "exponential";
    case backoff::list:
      return "list";
  }
  return "?";
}

retry_policy retry_policy::salesforce() {
  retry_policy p;
  p.name = "salesforce";
  p.kind = backoff::exponential;
  p.base = 15s;     // ASSUMPTION: Salesforce does not publish the first interval
  p.factor = 2.0;   // "grows exponentially" (API guide); doubling is the assumption's shape
  p.cap = 2h;       // documented: at most 2 hours between retries
  p.jitter = 0.1;   // ASSUMPTION: spreads retry storms; Salesforce does not publish one
  p.max_age = 24h;  // documented: dropped (or dead-lettered) 24 hours after being queued
  return p;
}

std::optional<duration> retry_policy::interval(int attempts) const {
  const int n = std::max(attempts, 1);
  double us = 0;
  switch (kind) {
    case backoff::fixed:
      us = static_cast<double>(base.count());
      break;
    case backoff::linear:
      us = static_cast<double>(base.count()) * n;
      break;
    case backoff::exponential:
      us = static_cast<double>(base.count()) * std::pow(factor, std::min(n - 1, 10'000));
      break;
    case backoff::list:
      if (static_cast<std::size_t>(n) > intervals.size()) return std::nullopt;
      us = static_cast<double>(intervals[n - 1].count());
      break;
  }
  us = std::min(us, max_interval_us);
  if (cap > duration::zero()) us = std::min(us, static_cast<double>(cap.count()));
  return duration(static_cast<duration::rep>(us));
}

std::optional<time_point> retry_policy::next_attempt(int attempts, time_point created,
                                                     time_point now, random& rng,
                                                     std::optional<duration> retry_after) const {
  if (max_attempts && attempts >= *max_attempts) return std::nullopt;
  auto wait = interval(attempts);
  if (!wait) return std::nullopt;
  double us = static_cast<double>(wait->count());
  if (jitter > 0) us *= 1.0 + jitter * (2.0 * rng.uniform() - 1.0);
  if (cap > duration::zero()) us = std::min(us, static_cast<double>(cap.count()));
  time_point next = now + duration(static_cast<duration::rep>(us));
  // The listener's own wait wins when it is longer; the policy's cap does not shorten it.
  if (honor_retry_after && retry_after) next = std::max(next, now + *retry_after);
  if (max_age) {
    // Retries go on until the notification is max_age old ("retried for up to 24 hours"): the
    // last attempt falls on that moment, and a failure at or after it expires the notification.
    const time_point deadline = created + *max_age;
    if (now >= deadline) return std::nullopt;
    next = std::min(next, deadline);
  }
  return next;
}

std::string retry_policy::to_string() const {
  std::string out;
  const retry_policy profile = salesforce();
  bool named = name == "salesforce" && kind == profile.kind && base == profile.base &&
               factor == profile.factor && intervals.empty();
  if (named) {
    out = "salesforce";
  } else {
    out = std::string(sender::to_string(kind)) + ":";
    switch (kind) {
      case backoff::fixed:
      case backoff::linear:
        out += format_duration(base);
        break;
      case backoff::exponential:
        out += format_duration(base) + "," + number_text(factor);
        break;
      case backoff::list:
        for (std::size_t i = 0; i < intervals.size(); ++i)
          out += (i ? "," : "") + format_duration(intervals[i]);
        break;
    }
  }
  auto def = named ? profile : retry_policy{};
  if (cap != def.cap) out += ",cap=" + format_duration(cap);
  if (jitter != def.jitter) out += ",jitter=" + number_text(jitter);
  if (max_attempts) out += ",max_attempts=" + std::to_string(*max_attempts);
  if (max_age != def.max_age && max_age) out += ",max_age=" + format_duration(*max_age);
  if (honor_retry_after) out += ",retry_after=honor";
  return out;
}

retry_policy parse_retry_policy(std::string_view text, const std::string& source) {
  text = trim(text, blanks);
  auto colon = text.find(':');
  std::string_view kind = trim(text.substr(0, colon), blanks);
  std::string_view rest;
  if (colon == std::string_view::npos) {
    // "salesforce,max_age=48h": options may follow the kind directly.
    auto comma = kind.find(',');
    if (comma != std::string_view::npos) {
      rest = kind.substr(comma + 1);
      kind = trim(kind.substr(0, comma), blanks);
    }
  } else {
    rest = text.substr(colon + 1);
  }
  retry_policy p = start_of(kind, source, "retry policy");
  std::vector<std::string_view> args;
  if (!trim(rest, blanks).empty()) {
    for (auto part : split(rest, ',')) {
      if (part.find('=') != std::string_view::npos)
        apply_option(p, part, source);
      else if (part.empty())
        throw input_error(source, std::string(text), "no empty part between commas");
      else
        args.push_back(part);
    }
  }
  apply_arguments(p, args, source);
  check(p, source, std::string(text));
  return p;
}

retry_policy retry_policy_from_json(const nlohmann::json& j, const std::string& file,
                                    const std::string& path) {
  if (j.is_string()) {
    try {
      return parse_retry_policy(j.get<std::string>(), file);
    } catch (const input_error& e) {
      throw input_error(file, path, e.path() + ": " + e.expected());
    }
  }
  if (!j.is_object())
    throw input_error(file, path,
                      "a retry policy: a string such as \"exponential:15s,2,2h\" or an object with "
                      "\"kind\"");
  auto kind_it = j.find("kind");
  if (kind_it == j.end() || !kind_it->is_string())
    throw input_error(file, path + "/kind",
                      "a string: salesforce, fixed, linear, exponential or list");
  retry_policy p = start_of(kind_it->get<std::string>(), file, path + "/kind");
  auto text_duration = [&](const nlohmann::json& v, const std::string& where) {
    if (!v.is_string()) throw input_error(file, where, "a duration string such as \"15s\"");
    return need_duration(v.get<std::string>(), file, where);
  };
  const bool named = p.name == "salesforce";
  for (const auto& [key, v] : j.items()) {
    const std::string where = path + "/" + key;
    if (key == "kind") continue;
    if (key == "base" && !named && p.kind != backoff::list) {
      p.base = text_duration(v, where);
    } else if (key == "factor" && p.kind == backoff::exponential && !named) {
      if (!v.is_number()) throw input_error(file, where, "a number such as 2");
      p.factor = v.get<double>();
    } else if (key == "cap") {
      p.cap = text_duration(v, where);
    } else if (key == "intervals" && p.kind == backoff::list) {
      if (!v.is_array()) throw input_error(file, where, "an array of durations");
      for (std::size_t i = 0; i < v.size(); ++i)
        p.intervals.push_back(text_duration(v[i], where + "/" + std::to_string(i)));
    } else if (key == "jitter") {
      if (v.is_number())
        p.jitter = v.get<double>();
      else if (v.is_string())
        p.jitter = need_jitter(v.get<std::string>(), file, where);
      else
        throw input_error(file, where, "a fraction such as 0.1 or a string such as \"10%\"");
    } else if (key == "max_attempts") {
      if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 1'000'000)
        throw input_error(file, where, "a whole number of at least 1");
      p.max_attempts = v.get<int>();
    } else if (key == "max_age") {
      p.max_age = text_duration(v, where);
    } else if (key == "retry_after") {
      if (!v.is_string()) throw input_error(file, where, "\"honor\" or \"ignore\"");
      p.honor_retry_after = need_retry_after(v.get<std::string>(), file, where);
    } else {
      throw input_error(file, where,
                        "no such key for a " + p.name +
                            " policy (kind, base, factor, cap, intervals, jitter, max_attempts, "
                            "max_age, retry_after as the kind allows)");
    }
  }
  if (!named && p.kind != backoff::list && !j.contains("base"))
    throw input_error(file, path + "/base", "a first interval such as \"15s\"");
  if (p.kind == backoff::exponential && !named && !j.contains("factor"))
    throw input_error(file, path + "/factor", "a number such as 2");
  check(p, file, path);
  return p;
}

nlohmann::json to_json(const retry_policy& p) {
  nlohmann::json j;
  j["kind"] = p.name == "salesforce" ? "salesforce" : std::string(to_string(p.kind));
  if (p.kind == backoff::list) {
    j["intervals"] = nlohmann::json::array();
    for (auto d : p.intervals) j["intervals"].push_back(format_duration(d));
  } else if (p.name != "salesforce") {
    j["base"] = format_duration(p.base);
    if (p.kind == backoff::exponential) j["factor"] = p.factor;
  }
  if (p.cap > duration::zero()) j["cap"] = format_duration(p.cap);
  j["jitter"] = p.jitter;
  if (p.max_attempts) j["max_attempts"] = *p.max_attempts;
  if (p.max_age) j["max_age"] = format_duration(*p.max_age);
  if (p.honor_retry_after) j["retry_after"] = "honor";
  return j;
}

}  // namespace outbound::sender
