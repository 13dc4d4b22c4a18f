// report.html of a load test: the page a load run needs (render_load_html.hpp), on the shared
// stylesheet and svg_canvas. Times on the x axis are wall-clock UTC; latency and service time per
// interval belong to the messages intended to start in it, rates and errors to the answers.
#include "reports/render_load_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/json_text.hpp"
#include "reports/html_page.hpp"
#include "reports/render.hpp"
#include "reports/svg_chart.hpp"

namespace outbound::reports {
namespace {

// The load page's own series colours, on top of the shared stylesheet.
constexpr const char* load_stylesheet = R"css(
.s-requested{stroke:#6b7280;stroke-dasharray:6 4}.s-requested-swatch{fill:#6b7280}
.s-achieved{stroke:#2563eb}.s-achieved-swatch{fill:#2563eb}
.s-ko{stroke:#dc2626}.s-ko-swatch{fill:#dc2626}
.s-p50{stroke:#16a34a}.s-p50-swatch{fill:#16a34a}
.s-p90{stroke:#d97706}.s-p90-swatch{fill:#d97706}
.s-p99{stroke:#dc2626}.s-p99-swatch{fill:#dc2626}
.s-e0{stroke:#dc2626}.s-e0-swatch{fill:#dc2626}.s-e1{stroke:#7c3aed}.s-e1-swatch{fill:#7c3aed}
.s-e2{stroke:#ea580c}.s-e2-swatch{fill:#ea580c}.s-e3{stroke:#0e7490}.s-e3-swatch{fill:#0e7490}
.s-e4{stroke:#be185d}.s-e4-swatch{fill:#be185d}.s-e5{stroke:#4b5563}.s-e5-swatch{fill:#4b5563}
table.stats td,table.stats th{white-space:nowrap}
tr.all td{font-weight:600;border-top:2px solid #d1d5db}
)css";

using points = std::vector<std::pair<double, double>>;

std::string us_text(double us) {
  return format_us(us);
}

std::string rate_text(double per_second) {
  return fmt::format("{:.4g}/s", per_second);
}

double x_of(const load_series& s, std::size_t i) {
  return double(s.point_start(i).time_since_epoch().count()) + double(s.interval().count()) / 2;
}

void time_axis(svg_canvas& c, const run_report& r, const load_series& s) {
  auto from = std::min(r.simulated_start, s.start());
  auto to = std::max(r.simulated_end, s.point_start(s.size()));
  if (to <= from) to = from + s.interval();
  c.x_time(from, to, "time (UTC)");
}

// Requested (the schedule) and achieved (answered) messages per second, and failed ones.
std::string rate_chart(const run_report& r, const load_series& s) {
  svg_canvas c("chart-rate", "Requested and achieved rate", "messages per second");
  const double per_second = 1e6 / double(s.interval().count());
  points requested, achieved, failed;
  double top = 1;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto& p = s.points()[i];
    std::uint64_t ko = 0;
    for (const auto& [cls, n] : p.failed) ko += n;
    requested.emplace_back(x_of(s, i), double(p.requested) * per_second);
    achieved.emplace_back(x_of(s, i), double(p.answered) * per_second);
    failed.emplace_back(x_of(s, i), double(ko) * per_second);
    top = std::max({top, requested.back().second, achieved.back().second});
  }
  time_axis(c, r, s);
  c.y_linear(0, top * 1.05);
  c.axes();
  if (s.size() == 0) {
    c.no_data("no message was due");
    return c.finish();
  }
  c.polyline(requested, "s-requested", "requested: messages due per second");
  c.polyline(achieved, "s-achieved", "achieved: messages answered per second");
  c.polyline(failed, "s-ko", "failed messages per second");
  c.legend(
      {{"requested", "s-requested"}, {"achieved (answered)", "s-achieved"}, {"failed", "s-ko"}});
  return c.finish();
}

// p50, p90 and p99 per interval of one of the two per-interval histograms (log scale).
std::string percentiles_chart(const run_report& r, const load_series& s, const char* id,
                              const char* title, sparse_histogram load_point::*member) {
  svg_canvas c(id, title, "per interval (log scale)");
  double lo = 1e300, hi = 1;
  for (const auto& p : s.points()) {
    const auto& h = p.*member;
    if (h.empty()) continue;
    lo = std::min(lo, double(std::max<std::int64_t>(h.percentile(50), 1)));
    hi = std::max(hi, double(h.percentile(99)));
  }
  time_axis(c, r, s);
  c.y_log(lo > hi ? 1 : lo, hi);
  c.axes();
  if (lo > hi) {
    c.no_data("no answer reached the listener");
    return c.finish();
  }
  for (const auto& [pct, cls] : {std::pair{50.0, "s-p50"}, {90.0, "s-p90"}, {99.0, "s-p99"}}) {
    points pts;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto& h = s.points()[i].*member;
      if (!h.empty())
        pts.emplace_back(x_of(s, i), double(std::max<std::int64_t>(h.percentile(pct), 1)));
    }
    c.polyline(pts, cls, fmt::format("p{:g} per interval", pct));
  }
  c.legend({{"p50", "s-p50"}, {"p90", "s-p90"}, {"p99", "s-p99"}});
  return c.finish();
}

// Failed messages per class per interval: one line each, by when the failure came back.
std::string errors_chart(const run_report& r, const load_series& s) {
  // Per second, as the rate chart's "failed" line: the two read the same whatever the interval.
  svg_canvas c("chart-errors-over-time", "Errors per class over time", "failed per second");
  const double per_second = 1e6 / double(s.interval().count());
  std::map<std::string, std::vector<double>> by_class;
  double top = 1;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (const auto& [cls, n] : s.points()[i].failed) {
      auto& v = by_class[cls];
      v.resize(s.size());
      v[i] = double(n) * per_second;
      top = std::max(top, v[i]);
    }
  time_axis(c, r, s);
  c.y_linear(0, top);
  c.axes();
  if (by_class.empty()) {
    c.no_data("no errors: every message was acked");
    return c.finish();
  }
  std::vector<std::pair<std::string, std::string>> legend;
  std::size_t k = 0;
  for (const auto& [cls, v] : by_class) {
    const auto css = fmt::format("s-e{}", std::min<std::size_t>(k++, 5));
    points pts;
    for (std::size_t i = 0; i < v.size(); ++i) pts.emplace_back(x_of(s, i), v[i]);
    c.polyline(pts, css, cls);
    legend.emplace_back(cls, css);
  }
  c.legend(legend);
  return c.finish();
}

std::string section(const char* title, const std::string& body, const char* note) {
  return fmt::format(R"(<section><h2>{}</h2>{}<p class="note">{}</p></section>)", title, body,
                     note);
}

// Failed thresholds and checks first: what decided the exit code comes before what passed.
std::string verdict_section(const run_report& r) {
  if (r.thresholds.empty() && r.checks.empty()) return "";
  std::string rows;
  for (const bool failing : {true, false}) {
    for (const auto& t : r.thresholds)
      if (t.passed != failing) rows += threshold_row(t);
    for (const auto& c : r.checks)
      if (c.passed != failing)
        rows += fmt::format(
            R"(<tr><td><span class="badge {}">{}</span></td><td>{}</td><td class="mono">{}</td><td class="mono">{}{}</td></tr>)",
            c.passed ? "pass" : "fail", c.passed ? "pass" : "FAIL", esc(c.name), esc(c.measured),
            esc(c.expected), c.message.empty() ? "" : " &#183; " + esc(c.message));
  }
  return R"(<section id="thresholds"><h2>Thresholds</h2><table><thead><tr><th>result</th><th>threshold</th><th>measured</th><th>limit</th></tr></thead><tbody>)" +
         rows + "</tbody></table></section>";
}

std::string tile(const std::string& key, const std::string& value, const char* cls = "") {
  return fmt::format(R"(<div class="tile {}"><div class="k">{}</div><div class="v">{}</div></div>)",
                     cls, esc(key), esc(value));
}

double requested_rate(const run_report& r) {
  double sum = 0;
  for (const auto& s : r.shards) sum += s.rate_per_second;
  return sum;
}

std::string tiles(const run_report& r) {
  const auto& c = r.metrics.totals();
  const auto& lat = r.metrics.response_time();
  const auto& svc = r.metrics.service_time();
  std::uint64_t scheduled = 0;
  for (const auto& s : r.shards) scheduled += s.scheduled;
  const auto answered = c.messages_acked + c.messages_failed;
  const double seconds =
      std::max(1e-6, double((r.simulated_end - r.simulated_start).count()) / 1e6);
  std::string t =
      tile("messages sent", fmt::format("{} of {}", c.messages_sent, scheduled)) +
      tile("acked (OK)", std::to_string(c.messages_acked), "good") +
      tile("failed (KO)", std::to_string(c.messages_failed), c.messages_failed ? "bad" : "") +
      tile("requested rate", rate_text(requested_rate(r))) +
      tile("achieved rate", rate_text(double(answered) / seconds));
  if (!lat.empty())
    t += tile("latency p99", us_text(double(lat.percentile(99)))) +
         tile("latency max", us_text(double(lat.max())));
  if (!svc.empty()) t += tile("service time p99", us_text(double(svc.percentile(99))));
  return R"(<section><h2>Summary</h2><div class="tiles">)" + t + "</div></section>";
}

// The standard deviation from the histogram's buckets (each at its midpoint): within the
// histogram's precision, and exact under merge like the histogram itself.
double stddev(const histogram& h) {
  if (h.count() < 2) return 0;
  const double mean = h.mean();
  double sum = 0;
  for (int i = 0; i < histogram::bucket_count; ++i) {
    const auto n = h.bucket(i);
    if (n == 0) continue;
    const double low = double(histogram::bucket_low(i));
    const double mid = i == histogram::bucket_count - 1
                           ? double(h.max())
                           : low + (double(histogram::bucket_high(i)) - 1 - low) / 2;
    const double v = std::clamp(mid, double(h.min()), double(h.max()));
    sum += double(n) * (v - mean) * (v - mean);
  }
  return std::sqrt(sum / double(h.count()));
}

std::string stats_row(const std::string& name, std::uint64_t ok, std::uint64_t ko,
                      const histogram& h, const char* cls = "") {
  const auto total = ok + ko;
  std::string cells = fmt::format(
      R"(<td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)",
      esc(name), total, ok, ko,
      total ? fmt::format("{:.2f}%", 100.0 * double(ko) / double(total)) : "-");
  auto v = [&](double us) {
    return R"(<td class="num">)" + esc(h.empty() ? "-" : us_text(us)) + "</td>";
  };
  cells += v(double(h.min())) + v(h.mean()) + v(stddev(h));
  for (const double p : {50.0, 75.0, 95.0, 99.0, 99.9}) cells += v(double(h.percentile(p)));
  cells += v(double(h.max()));
  return fmt::format(R"(<tr class="{}">{}</tr>)", cls, cells);
}

// Gatling's statistics table: one row per definition and one for all of them.
std::string stats_section(const run_report& r, const load_series& s) {
  std::string rows;
  histogram all;
  std::uint64_t ok = 0, ko = 0;
  for (const auto& [name, d] : s.definitions()) {
    rows += stats_row(name, d.ok, d.ko, d.latency);
    all.merge(d.latency);
    ok += d.ok;
    ko += d.ko;
  }
  rows += stats_row("all definitions", ok, ko, all, "all");
  (void)r;
  return R"(<section id="statistics"><h2>Statistics per definition</h2><div class="scroll"><table class="stats"><thead><tr><th>definition</th><th class="num">count</th><th class="num">OK</th><th class="num">KO</th><th class="num">KO %</th><th class="num">min</th><th class="num">mean</th><th class="num">stddev</th><th class="num">p50</th><th class="num">p75</th><th class="num">p95</th><th class="num">p99</th><th class="num">p99.9</th><th class="num">max</th></tr></thead><tbody>)" +
         rows +
         R"(</tbody></table></div><p class="note">Messages per outbound message definition; times are the latency from each message's intended start to its answer, for the messages that reached the listener (refused, unreachable and TLS failures count as KO without a time). Percentiles within 1%.</p></section>)";
}

// A parameter's value for people: durations (keys ending _us) as 1m or 250ms, rates (keys
// ending _per_second) as 500/s, a stage list as ramps and holds; report.json keeps the numbers.
std::string human(const std::string& key, const nlohmann::json& v);

std::string stage_text(const nlohmann::json& s) {
  if (!s.is_object() || !s.contains("duration_us") || !s.contains("from_per_second") ||
      !s.contains("to_per_second"))
    return dump_json(s);
  const auto length = us_text(s["duration_us"].get<double>());
  const double from = s["from_per_second"].get<double>(), to = s["to_per_second"].get<double>();
  return from == to ? fmt::format("hold {} for {}", rate_text(from), length)
                    : fmt::format("ramp {} to {} over {}", rate_text(from), rate_text(to), length);
}

std::string definition_text(const nlohmann::json& d) {
  if (!d.is_object() || !d.contains("definition")) return human("", d);  // a scenario's
  return fmt::format("{} ({}): {:.0f}% of messages, batch {}", d.value("definition", ""),
                     d.value("object", ""), 100 * d.value("share", 0.0), d.value("batch", ""));
}

std::string human(const std::string& key, const nlohmann::json& v) {
  if (v.is_array()) {
    std::string out;
    std::size_t n = 0;
    for (const auto& e : v) {
      ++n;
      if (key == "stages" && e.is_object()) {
        out += (out.empty() ? "" : ", then ") + stage_text(e);
      } else if (key == "definitions" && e.is_object()) {
        out += (out.empty() ? "" : "; ") + definition_text(e);
      } else if (e.is_object() || e.is_array()) {
        // One value per merged report (merge_parameters): numbered in the merge's order.
        out += fmt::format("{}({}) {}", out.empty() ? "" : "; ", n, human(key, e));
      } else {
        out += (out.empty() ? "" : ", ") + human(key, e);
      }
    }
    return out;
  }
  if (v.is_object()) {  // percentiles: {"p50": 270, ..., "max": 6011}, max last
    std::string out;
    for (const auto& [k, x] : v.items())
      if (k != "max") out += (out.empty() ? "" : ", ") + k + " " + human(key, x);
    if (v.contains("max"))
      out += std::string(out.empty() ? "" : ", ") + "max " + human(key, v["max"]);
    return out;
  }
  if (v.is_number() && key.ends_with("_us")) return us_text(v.get<double>());
  if (v.is_number() && key.ends_with("_per_second")) return rate_text(v.get<double>());
  return v.is_string() ? v.get<std::string>() : dump_json(v);
}

// "duration_us" -> "duration", "rate_per_second" -> "rate", "latency_from_intended_start_us" ->
// "latency from intended start".
std::string human_key(std::string key) {
  for (const std::string suffix : {"_us", "_per_second"})
    if (key.ends_with(suffix)) key.resize(key.size() - suffix.size());
  std::replace(key.begin(), key.end(), '_', ' ');
  return key;
}

std::string parameters_section(const run_report& r) {
  std::string rows;
  for (const auto& [key, value] : r.parameters.items())
    rows += R"(<tr><td>)" + esc(human_key(key)) + R"(</td><td>)" + esc(human(key, value)) +
            "</td></tr>";
  return R"(<section id="parameters"><h2>Parameters</h2><table class="params"><tbody>)" + rows +
         R"(</tbody></table><p class="note">report.json holds the same in machine units (microseconds, messages per second).</p></section>)";
}

std::string shards_section(const run_report& r) {
  if (r.shards.size() < 2) return "";
  std::string rows;
  for (const auto& s : r.shards)
    rows += fmt::format(
        R"(<tr><td class="mono">{}/{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>)",
        s.index, s.count, esc(s.host), esc(rate_text(s.rate_per_second)), s.scheduled, s.sent,
        s.answered, table_time(s.start));
  return R"(<section id="shards"><h2>Shards</h2><table><thead><tr><th>shard</th><th>host</th><th class="num">requested</th><th class="num">scheduled</th><th class="num">sent</th><th class="num">answered</th><th>start (UTC)</th></tr></thead><tbody>)" +
         rows + "</tbody></table></section>";
}

std::string title_block(const run_report& r) {
  const auto badge = verdict_badge(r, "no thresholds");
  const auto endpoint = r.parameters.value("endpoint", nlohmann::json(r.name));
  return fmt::format(
      R"(<section><div class="kicker">outbound &#183; load report</div><h1>{} {}</h1>)"
      R"(<p class="sub">{} &#183; ran {} to {} UTC ({}) &#183; seed {}{}</p></section>)",
      esc(endpoint.is_string() ? endpoint.get<std::string>() : dump_json(endpoint)), badge,
      esc(requested_rate(r) > 0 ? "requested " + rate_text(requested_rate(r)) : "load"),
      table_time(r.simulated_start), table_time(r.simulated_end),
      esc(us_text(double((r.simulated_end - r.simulated_start).count()))), r.seed,
      r.shards.size() > 1 ? fmt::format(" &#183; {} shards", r.shards.size()) : "");
}

}  // namespace

std::string parameters_text(const nlohmann::json& parameters) {
  std::string out;
  for (const auto& [key, value] : parameters.items())
    out += (out.empty() ? "" : "; ") + human_key(key) + " " + human(key, value);
  return out;
}

std::string render_load_html(const run_report& r) {
  const load_series& s = *r.load;
  std::string body;
  body += title_block(r);
  body += verdict_section(r);
  body += tiles(r);
  body += section("Rate", rate_chart(r, s),
                  "Messages due per second by the schedule (requested), answered per second "
                  "(achieved, acked or failed) and failed per second, per interval.");
  body += section(
      "Latency from the intended start over time",
      percentiles_chart(r, s, "chart-latency-over-time",
                        "Latency from the intended start: p50, p90, p99", &load_point::latency),
      "For the messages intended to start in each interval: from when the open-loop "
      "schedule meant each to go out to its answer, so waiting for a connection "
      "counts.");
  body += section(
      "Service time over time",
      percentiles_chart(r, s, "chart-service-over-time",
                        "Service time (send to answer): p50, p90, p99", &load_point::service),
      "From each message's actual send to its answer: what a closed-loop tool "
      "reports.");
  body += section("Errors over time", errors_chart(r, s),
                  "Failed messages per second per failure class, by when the failure came back "
                  "(the rate chart's failed line, by class).");
  body += stats_section(r, s);
  body += parameters_section(r);
  body += shards_section(r);
  std::string out;
  out.reserve(body.size() + 8192);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>";
  out += R"(<meta name="viewport" content="width=device-width, initial-scale=1"/>)";
  out += "<title>" + esc("outbound load report: " + r.name) + "</title>";
  out += "<style>" + std::string(report_stylesheet()) + load_stylesheet + "</style></head><body>";
  out += "<main>" + body;
  out += fmt::format(
      "<footer>outbound report format {} &#183; report.json holds every number on this page"
      "</footer></main></body></html>\n",
      r.format_version);
  return out;
}

}  // namespace outbound::reports
