#include "reports/threshold.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "common/duration.hpp"
#include "common/input_error.hpp"
#include "common/rate.hpp"
#include "common/text.hpp"
#include "reports/render.hpp"

namespace outbound::reports {
namespace {

// What std::isspace calls white space: allowed around a threshold and its operator.
constexpr std::string_view blanks = " \t\n\v\f\r";

constexpr const char* metrics_expected =
    "METRIC OP LIMIT, METRIC one of pN (0 < N < 100: p50, p99, p99.9), mean or max of the latency "
    "from the intended start, the same with service_ for the service time (service_p99: send to "
    "answer), errors or achieved_rate";

// A plain decimal number: digits with at most one point between digits (0.5, not .5 or 5.), no
// sign, exponent, inf or nan.
std::optional<double> decimal(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || std::count(s.begin(), s.end(), '.') > 1)
    return std::nullopt;
  for (const char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

const char* symbol(comparison op) {
  switch (op) {
    case comparison::less:
      return "<";
    case comparison::less_or_equal:
      return "<=";
    case comparison::greater:
      return ">";
    case comparison::greater_or_equal:
      return ">=";
  }
  return "?";
}

bool holds(double measured, comparison op, double limit) {
  switch (op) {
    case comparison::less:
      return measured < limit;
    case comparison::less_or_equal:
      return measured <= limit;
    case comparison::greater:
      return measured > limit;
    case comparison::greater_or_equal:
      return measured >= limit;
  }
  return false;
}

std::string percent(double fraction) {
  return fmt::format("{:.4g}%", fraction * 100);
}

// The statistic part of a latency or service-time metric: "p99", "p99.9", "mean", "max".
bool read_statistic(std::string_view s, threshold& t) {
  if (s == "mean") {
    t.statistic = threshold_statistic::mean;
    return true;
  }
  if (s == "max") {
    t.statistic = threshold_statistic::max;
    return true;
  }
  if (!s.starts_with('p')) return false;
  const auto p = decimal(s.substr(1));
  if (!p || *p <= 0 || *p >= 100) return false;
  t.statistic = threshold_statistic::percentile;
  t.percentile = *p;
  return true;
}

}  // namespace

threshold parse_threshold(std::string_view text, const std::string& file, const std::string& path) {
  text = trim(text, blanks);
  const std::string where = file.empty() ? "--threshold \"" + shorten_value(text) + "\"" : file;
  auto fail = [&](const std::string& expected) -> threshold {
    throw input_error(where, path, expected);
  };
  threshold t;
  t.text = std::string(text);
  const auto at = text.find_first_of("<>");
  if (at == std::string_view::npos)
    return fail(std::string(metrics_expected) +
                ", then <, <=, > or >= and a limit, such as p99<300ms");
  const std::string_view metric = trim(text.substr(0, at), blanks);
  const bool or_equal = at + 1 < text.size() && text[at + 1] == '=';
  t.op = text[at] == '<' ? (or_equal ? comparison::less_or_equal : comparison::less)
                         : (or_equal ? comparison::greater_or_equal : comparison::greater);
  const std::string_view limit = trim(text.substr(at + (or_equal ? 2 : 1)), blanks);
  const std::string after =
      fmt::format(" after \"{}{}\" (got \"{}\")", metric, symbol(t.op), shorten_value(limit));

  if (metric == "errors") {
    t.metric = threshold_metric::errors;
    const bool is_percent = limit.ends_with('%');
    const auto v = decimal(is_percent ? limit.substr(0, limit.size() - 1) : limit);
    if (!v || *v > (is_percent ? 100 : 1))
      return fail(
          "a fraction of the answered messages from 0 to 1 such as 0.001, or a percentage "
          "such as 0.1%" +
          after);
    t.limit = is_percent ? *v / 100 : *v;
    return t;
  }
  if (metric == "achieved_rate") {
    t.metric = threshold_metric::achieved_rate;
    const std::string expected =
        "a rate such as 1900/s or 114000/m, or a multiple of the requested rate such as "
        "0.97*rate" +
        after;
    if (limit == "rate" || limit.ends_with("*rate")) {
      const auto times = limit == "rate" ? std::optional<double>(1)
                                         : decimal(trim(limit.substr(0, limit.size() - 5), blanks));
      if (!times || *times <= 0) return fail(expected);
      t.times_rate = true;
      t.limit = *times;
      return t;
    }
    const auto per_second = outbound::parse_rate(limit);  // the project's one rate grammar
    if (!per_second) return fail(expected);
    t.limit = *per_second;
    return t;
  }
  const bool service = metric.starts_with("service_");
  t.metric = service ? threshold_metric::service_time : threshold_metric::latency;
  if (!read_statistic(service ? metric.substr(8) : metric, t))
    return fail(std::string(metrics_expected) + " (got \"" + shorten_value(metric) + "\")");
  const auto d = parse_duration(limit);
  if (!d) return fail("a duration such as 300ms, 1.5s or 2m" + after);
  t.limit = static_cast<double>(d->count());
  return t;
}

threshold_result evaluate(const threshold& t, const run_report& r) {
  threshold_result out;
  out.threshold = t.text;
  const std::string op = symbol(t.op);
  const auto& c = r.metrics.totals();
  const std::uint64_t answered = c.messages_acked + c.messages_failed;
  switch (t.metric) {
    case threshold_metric::latency:
    case threshold_metric::service_time: {
      const histogram& h = t.metric == threshold_metric::latency ? r.metrics.response_time()
                                                                 : r.metrics.service_time();
      out.limit = op + " " + format_duration(duration(static_cast<std::int64_t>(t.limit)));
      out.limit_value = t.limit;
      if (h.empty()) {
        out.measured = "no samples";
        break;
      }
      const double v = t.statistic == threshold_statistic::mean ? h.mean()
                       : t.statistic == threshold_statistic::max
                           ? static_cast<double>(h.max())
                           : static_cast<double>(h.percentile(t.percentile));
      out.measured_value = v;
      out.measured = format_us(v);
      break;
    }
    case threshold_metric::errors: {
      out.limit = op + " " + percent(t.limit);
      out.limit_value = t.limit;
      if (answered == 0) {
        out.measured = "no answers";
        break;
      }
      const double v = static_cast<double>(c.messages_failed) / static_cast<double>(answered);
      out.measured_value = v;
      out.measured = fmt::format("{} ({} of {} messages)", percent(v), c.messages_failed, answered);
      break;
    }
    case threshold_metric::achieved_rate: {
      double requested = 0;
      duration length{};
      for (const auto& s : r.shards) {
        requested += s.rate_per_second;
        length = std::max(length, s.length);
      }
      const duration span = std::max(length, r.simulated_end - r.simulated_start);
      const double v = span.count() > 0
                           ? static_cast<double>(answered) * 1e6 / static_cast<double>(span.count())
                           : 0;
      out.limit_value = t.times_rate ? t.limit * requested : t.limit;
      out.limit = t.times_rate ? fmt::format("{} {:.6g}/s ({:g} x {:.6g}/s requested)", op,
                                             out.limit_value, t.limit, requested)
                               : fmt::format("{} {:.6g}/s", op, t.limit);
      if (t.times_rate && r.shards.empty()) {
        out.measured = "no requested rate in the report";
        break;
      }
      out.measured_value = v;
      out.measured = fmt::format("{:.1f}/s ({} messages in {})", v, answered,
                                 format_us(static_cast<double>(span.count())));
      break;
    }
  }
  out.passed = out.measured_value && holds(*out.measured_value, t.op, out.limit_value);
  return out;
}

std::vector<threshold_result> evaluate_thresholds(const std::vector<threshold>& thresholds,
                                                  const run_report& r) {
  std::vector<threshold_result> out;
  out.reserve(thresholds.size());
  for (const auto& t : thresholds) out.push_back(evaluate(t, r));
  return out;
}

}  // namespace outbound::reports
