// The terminal summary and the text helpers every renderer shares (escaping, CSV fields,
// durations).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "reports/check_page.hpp"
#include "reports/render.hpp"

namespace outbound::reports {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

std::string xml_clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_length(s, i);
    if (n == 0) {  // not UTF-8: the replacement character keeps the document well-formed
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    // XML 1.0 allows no control characters but tab, newline and carriage return.
    if (n > 1 || c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out.append(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string xml_escape_text(std::string_view s) {
  const auto clean = xml_clean(s);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string clip_words(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  std::size_t cut = n < 3 ? 0 : n - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  const auto brk = s.find_last_of(" ,;/", cut);
  if (brk != std::string::npos && brk >= cut / 2) cut = brk;
  return std::string(s.substr(0, cut)) + "...";
}

std::string format_us(double us) {
  if (!std::isfinite(us)) return "-";
  if (us < 0) return "-" + format_us(-us);
  if (us < 1000) return fmt::format("{:.0f}us", us);
  if (us < 1e6) return fmt::format("{:.{}f}ms", us / 1e3, us < 1e4 ? 2 : us < 1e5 ? 1 : 0);
  if (us < 60e6) return fmt::format("{:.{}f}s", us / 1e6, us < 1e7 ? 2 : 1);
  const auto s = static_cast<long long>(std::llround(us / 1e6));
  if (s < 3600)
    return s % 60 ? fmt::format("{}m{:02}s", s / 60, s % 60) : fmt::format("{}m", s / 60);
  const auto m = (s + 30) / 60;
  if (m < 48 * 60)
    return m % 60 ? fmt::format("{}h{:02}m", m / 60, m % 60) : fmt::format("{}h", m / 60);
  return fmt::format("{}d{:02}h", m / 1440, (m % 1440) / 60);
}

namespace {

std::string spectrum(const histogram& h, bool as_time) {
  if (h.empty()) return "no samples";
  auto f = [&](std::int64_t v) { return as_time ? format_us(double(v)) : std::to_string(v); };
  return fmt::format("p50 {}  p90 {}  p99 {}  p99.9 {}  max {}", f(h.percentile(50)),
                     f(h.percentile(90)), f(h.percentile(99)), f(h.percentile(99.9)), f(h.max()));
}

// A failure's message on lines of their own, indented under the check, broken between words
// to fit 120 columns (a word longer than that keeps its line).
std::string wrapped(const std::string& message) {
  if (message.empty()) return "";
  constexpr std::size_t indent = 10, width = 120 - indent;
  std::string out, line;
  std::size_t start = 0;
  while (start < message.size()) {
    std::size_t end = message.find(' ', start);
    if (end == std::string::npos) end = message.size();
    const std::string word = message.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
  return out;
}

// Notifications not settled at the end, by state when the status is known (a retrying one is
// not "queued": it failed and waits for its next attempt).
std::string unsettled(const run_report& r) {
  const status_counts& s = r.status.counts;
  if (s.total() == 0) return fmt::format("not settled {}", r.metrics.totals().still_queued());
  return fmt::format("queued {}  in flight {}  retrying {}", s.queued, s.in_flight, s.retrying);
}

// "PASSED (3 of 3)", "FAILED (1 of 3 failed)", "done", or why a run that stopped early failed.
std::string verdict(const run_report& r) {
  std::size_t failed = 0;
  for (const auto& k : r.checks) failed += k.passed ? 0 : 1;
  for (const auto& t : r.thresholds) failed += t.passed ? 0 : 1;
  const std::size_t total = r.checks.size() + r.thresholds.size();
  if (failed) return fmt::format("FAILED ({} of {} failed)", failed, total);
  if (!r.passed()) return "FAILED (stopped before the end)";
  return total ? fmt::format("PASSED ({} of {})", total, total) : "done";
}

// Every threshold, failed or not, with what was measured against its limit; never clipped.
std::string threshold_lines(const run_report& r) {
  if (r.thresholds.empty()) return "";
  std::size_t failed = 0, name_width = 0, measured_width = 0;
  for (const auto& t : r.thresholds) {
    failed += t.passed ? 0 : 1;
    name_width = std::max(name_width, t.threshold.size());
    measured_width = std::max(measured_width, t.measured.size());
  }
  std::string out =
      fmt::format("  thresholds     {} passed, {} failed\n", r.thresholds.size() - failed, failed);
  for (const bool failing : {true, false})  // what failed first, as the HTML page lists them
    for (const auto& t : r.thresholds)
      if (t.passed != failing)
        out +=
            fmt::format("    {}  {:<{}}  measured {:<{}}  limit {}\n", t.passed ? "pass" : "FAIL",
                        t.threshold, name_width, t.measured, measured_width, t.limit);
  return out;
}

}  // namespace

std::string text_summary(const run_report& r) {
  if (r.kind == "check") return check_text_summary(r);
  const auto& c = r.metrics.totals();
  std::size_t failed_checks = 0;
  for (const auto& k : r.checks) failed_checks += k.passed ? 0 : 1;
  std::string out = fmt::format("outbound {} \"{}\": {}\n", r.kind, r.name, verdict(r));
  out += threshold_lines(r);
  const auto span = format_us(double((r.simulated_end - r.simulated_start).count()));
  const auto from = format_timestamp_us(r.simulated_start).substr(0, 19);
  const auto to = format_timestamp_us(r.simulated_end).substr(0, 19);
  const auto wall = format_us(double((r.finished - r.started).count()));
  // On the real clock nothing is simulated: one span, in wall time.
  out += r.clock == "virtual"
             ? fmt::format("  virtual clock, seed {}, {} simulated ({} .. {}), {} wall\n", r.seed,
                           span, from, to, wall)
             : fmt::format("  {} clock, seed {}, ran {} ({} .. {})\n", r.clock, r.seed, span, from,
                           to);
  out += fmt::format(
      "  notifications  accepted {}  delivered {}  failed {}  dropped {}  deleted {}  {}\n",
      c.notifications_accepted, c.notifications_delivered, c.notifications_failed,
      c.notifications_dropped, c.notifications_deleted, unsettled(r));
  std::string classes;
  for (const auto& [cls, n] : c.failures_by_class)
    classes += fmt::format("{}{} {}", classes.empty() ? "" : ", ", cls, n);
  out += fmt::format("  messages       sent {}  acked {}  failed {}{}\n", c.messages_sent,
                     c.messages_acked, c.messages_failed,
                     classes.empty() ? "" : " (" + clip_words(classes, 60) + ")");
  if (r.shards.size() > 1) {
    double rate = 0;
    for (const auto& s : r.shards) rate += s.rate_per_second;
    out += fmt::format("  shards         {} of a test of {}, {:g}/s requested in all\n",
                       r.shards.size(), r.shards.front().count, rate);
  }
  if (r.ledger)
    out += fmt::format(
        "  endpoint       {} notifications received, {} unique, {} retries before an ack, {} "
        "duplicates after an ack\n",
        r.ledger->notifications, r.ledger->unique, r.ledger->retries, r.ledger->duplicates);
  if (r.drain_time)
    out += fmt::format("  drain time     {}\n", format_us(double(r.drain_time->count())));
  if (r.kind == "load") {
    // A load test's latency is each message's, from its intended start (its response time);
    // every message is sent once, so delivery latency repeats it and attempts say nothing.
    out += "  latency        " + spectrum(r.metrics.response_time(), true) +
           "  (from the intended start)\n";
  } else {
    out += "  latency        " + spectrum(r.metrics.delivery_latency(), true) + "\n";
    out += "  response time  " + spectrum(r.metrics.response_time(), true) + "\n";
  }
  if (!r.metrics.service_time().empty())
    out += "  service time   " + spectrum(r.metrics.service_time(), true) + "\n";
  if (r.kind != "load") out += "  attempts       " + spectrum(r.metrics.attempts(), false) + "\n";
  for (const auto& w : r.warnings) out += "  warning        " + w + "\n";
  if (r.checks.empty()) return out;
  out += fmt::format("  checks         {} passed, {} failed\n", r.checks.size() - failed_checks,
                     failed_checks);
  // Failures first, each in full (never clipped, never behind "more"); then passes while the
  // list is short: every check is in junit.xml.
  std::vector<const check_result*> order;
  for (const auto& k : r.checks)
    if (!k.passed) order.push_back(&k);
  for (const auto& k : r.checks)
    if (k.passed) order.push_back(&k);
  constexpr std::size_t shown = 10;
  std::size_t listed = 0;
  for (const check_result* k : order) {
    if (k->passed && listed >= shown) break;
    ++listed;
    if (k->passed)
      out += fmt::format("    pass  {:<36} measured {:<18} expected {}\n", clip_words(k->name, 36),
                         clip_words(k->measured, 18), clip_words(k->expected, 30));
    else
      out += fmt::format("    FAIL  {:<36} measured {:<18} expected {}\n{}", k->name, k->measured,
                         k->expected, wrapped(k->message));
  }
  if (listed < order.size())
    out += fmt::format("    ... and {} more passed (junit.xml lists every check)\n",
                       order.size() - listed);
  return out;
}

}  // namespace outbound::reports
