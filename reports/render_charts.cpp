// The five charts of report.html, drawn on svg_canvas. Colours are CSS classes (render_html.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/charts.hpp"
#include "reports/render.hpp"
#include "reports/svg_chart.hpp"

namespace outbound::reports {

namespace {

using points = std::vector<std::pair<double, double>>;

double us(time_point t) {
  return double(t.time_since_epoch().count());
}

// The time span to draw: the simulated run, widened to hold every series point.
std::pair<time_point, time_point> time_span(const run_report& r) {
  const auto& s = r.metrics.series();
  auto from = r.simulated_start, to = r.simulated_end;
  if (s.size() > 0) {
    const auto end = s.point_start(s.size());
    if (to <= from) from = s.start, to = end;
    from = std::min(from, s.start);
    to = std::max(to, std::min(end, to + s.interval));
  }
  return {from, to};
}

// One point per interval, at its middle.
points column(const time_series& s, const std::vector<std::uint64_t>& v) {
  points p;
  p.reserve(v.size());
  const double half = double(s.interval.count()) / 2;
  for (std::size_t i = 0; i < v.size(); ++i)
    p.emplace_back(us(s.point_start(i)) + half, double(v[i]));
  return p;
}

using legend_entries = std::vector<std::pair<std::string, std::string>>;

// The fault windows' colours, as CSS classes fault-0 ... fault-5 (render_html.cpp): each window
// takes the first colour no earlier window that overlaps or touches it has, so that adjacent
// windows never share one (unless seven or more all touch each other).
std::vector<std::string> fault_classes(const std::vector<fault_window>& faults) {
  constexpr int palette = 6;
  std::vector<std::size_t> order(faults.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return faults[a].start < faults[b].start; });
  std::vector<int> colour(faults.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& f = faults[order[k]];
    std::vector<bool> taken(palette, false);
    for (std::size_t j = 0; j < k; ++j) {
      const auto& g = faults[order[j]];
      if (g.start <= f.end && f.start <= g.end) taken[colour[order[j]]] = true;
    }
    int c = 0;
    while (c < palette && taken[c]) ++c;
    colour[order[k]] = c % palette;
  }
  std::vector<std::string> out;
  for (int c : colour) out.push_back("fault-" + std::to_string(c));
  return out;
}

// The CSS class of a marker kind (recovery, drain_end, during).
std::string marker_class(const std::string& kind) {
  return kind == "recovery" ? "m-recovery" : kind == "drain_end" ? "m-drain" : "m-during";
}

// The series' entries, then one per fault (its label in its colour; a label shown once per
// colour) and one per kind of marker present.
legend_entries with_faults_and_markers(const run_report& r, legend_entries entries) {
  const auto classes = fault_classes(r.faults);
  for (std::size_t i = 0; i < r.faults.size(); ++i) {
    std::pair<std::string, std::string> e{"fault: " + r.faults[i].label, classes[i]};
    if (std::find(entries.begin(), entries.end(), e) == entries.end()) entries.push_back(e);
  }
  const std::pair<const char*, const char*> kinds[] = {{"recovery", "endpoint recovered"},
                                                       {"drain_end", "end of drain"},
                                                       {"during", "during check"}};
  for (const auto& k : kinds)
    if (std::any_of(r.markers.begin(), r.markers.end(),
                    [&](const time_marker& m) { return m.kind == k.first; }))
      entries.emplace_back(k.second, marker_class(k.first));
  return entries;
}

// Axes for time on x, the fault windows shaded (each in its colour) and the markers drawn.
void time_frame(svg_canvas& c, const run_report& r, double y_max, const legend_entries& legend) {
  c.reserve_legend(legend);
  const auto [from, to] = time_span(r);
  c.x_time(from, to, r.clock == "virtual" ? "simulated time (UTC)" : "time (UTC)");
  c.y_linear(0, std::max(y_max, 1.0));
  c.axes();
  const auto classes = fault_classes(r.faults);
  for (std::size_t i = 0; i < r.faults.size(); ++i)
    c.band(us(r.faults[i].start), us(r.faults[i].end), r.faults[i].label, classes[i]);
  for (const auto& m : r.markers) c.marker(us(m.at), m.label, marker_class(m.kind));
}

}  // namespace

std::string throughput_chart(const run_report& r) {
  const auto& s = r.metrics.series();
  svg_canvas c("chart-throughput", "Throughput: notifications sent, acked and failed",
               "notifications per " + format_duration(s.interval));
  std::vector<std::uint64_t> failed(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) failed[i] = s.failed_total(i);
  double top = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    top = std::max({top, double(s.sent[i]), double(s.acked[i]), double(failed[i])});
  const auto legend = with_faults_and_markers(
      r, {{"sent", "s-sent"}, {"acked", "s-acked"}, {"failed", "s-failed"}});
  time_frame(c, r, top, legend);
  if (s.size() == 0) {
    c.no_data("no notifications were sent");
    return c.finish();
  }
  c.polyline(column(s, s.sent), "s-sent", "sent");
  c.polyline(column(s, s.acked), "s-acked", "acked");
  c.polyline(column(s, failed), "s-failed", "failed (all classes)");
  c.legend(legend);
  return c.finish();
}

std::string queue_chart(const run_report& r) {
  const auto& s = r.metrics.series();
  svg_canvas c("chart-queue", "Queue depth, in flight and retries due", "notifications");
  double top = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    top = std::max(
        {top, double(s.queue_depth_max[i]), double(s.in_flight[i]), double(s.retries_due[i])});
  const auto legend = with_faults_and_markers(r, {{"queue depth", "s-queue"},
                                                  {"peak per interval", "s-queuemax"},
                                                  {"retries due", "s-retries"},
                                                  {"in flight", "s-inflight"}});
  time_frame(c, r, top, legend);
  if (s.size() == 0) {
    c.no_data("no samples of the queue");
    return c.finish();
  }
  c.polyline(column(s, s.queue_depth_max), "s-queuemax", "queue depth, peak per interval", true);
  c.polyline(column(s, s.queue_depth), "s-queue", "queue depth at the end of each interval");
  c.polyline(column(s, s.retries_due), "s-retries", "retries due");
  c.polyline(column(s, s.in_flight), "s-inflight", "in flight");
  c.legend(legend);
  return c.finish();
}

std::string latency_chart(const run_report& r) {
  static const double pct[] = {50, 75, 90, 95, 99, 99.9, 99.99};
  svg_canvas c("chart-latency", "Latency percentile spectrum", "latency (log scale)");
  const auto& lat = r.metrics.delivery_latency();
  const auto& rsp = r.metrics.response_time();
  // x: -log10(1 - p) so each extra nine gets equal room; max one step past p99.99.
  auto px = [](double p) { return -std::log10(1 - p / 100); };
  const double max_x = px(99.99) + 0.6;
  std::vector<std::pair<double, std::string>> labels;
  for (double p : pct) labels.emplace_back(px(p), fmt::format("p{}", p));
  labels.emplace_back(max_x, "max");
  c.x_numeric(0.15, max_x + 0.15, false, labels, "percentile (each step right adds a nine)");
  double lo = 1e300, hi = 1;
  for (const auto* h : {&lat, &rsp}) {
    if (h->empty()) continue;
    lo = std::min(lo, double(std::max<std::int64_t>(h->percentile(50), 1)));
    hi = std::max(hi, double(h->max()));
  }
  c.y_log(lo > hi ? 1 : lo, hi);
  c.axes();
  if (lat.empty() && rsp.empty()) {
    c.no_data("no latency samples");
    return c.finish();
  }
  struct line {
    const histogram* h;
    const char* cls;
    const char* name;
    double dy;
  };
  for (const auto& l : {line{&lat, "s-latency", "delivery latency (created to acked)", -9},
                        line{&rsp, "s-response", "response time per attempt", 16}}) {
    if (l.h->empty()) continue;
    points pts;
    for (double p : pct)
      pts.emplace_back(px(p), double(std::max<std::int64_t>(l.h->percentile(p), 1)));
    pts.emplace_back(max_x, double(std::max<std::int64_t>(l.h->max(), 1)));
    c.polyline(pts, l.cls, l.name);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const auto& [x, v] = pts[i];
      const auto label = i < std::size(pct) ? fmt::format("p{}", pct[i]) : std::string("max");
      c.circle_px(c.x()(x), c.y()(v), 3.5, l.cls + std::string("-dot"),
                  fmt::format("{} {}: {}", l.name, label, format_us(v)));
      c.text_px(c.x()(x), c.y()(v) + l.dy, format_us(v), l.cls + std::string("-value"), "middle");
    }
  }
  c.legend({{"delivery latency (created to acked)", "s-latency"},
            {"response time per attempt", "s-response"}});
  return c.finish();
}

std::string attempts_chart(const run_report& r) {
  const auto& h = r.metrics.attempts();
  svg_canvas c("chart-attempts", "Attempts per notification", "notifications");
  // One bar per attempt count; counts past `cap` share the last bar.
  constexpr int cap = 30;
  std::vector<std::uint64_t> bars;
  for (std::int64_t a = 0; a <= std::min<std::int64_t>(h.max(), cap); ++a) bars.push_back(0);
  for (int i = 0; i < histogram::bucket_count && !h.empty(); ++i) {
    if (const auto n = h.bucket(i)) bars[std::min<std::size_t>(histogram::bucket_low(i), cap)] += n;
  }
  const std::size_t first =
      h.empty() ? 0 : static_cast<std::size_t>(std::min<std::int64_t>(h.min(), cap));
  std::vector<std::pair<double, std::string>> labels;
  for (std::size_t a = first; a < bars.size(); ++a)
    labels.emplace_back(double(a),
                        a == cap && h.max() > cap ? fmt::format("{}+", cap) : std::to_string(a));
  c.x_numeric(double(first) - 0.6, double(std::max(bars.size(), first + 1)) - 0.4, false, labels,
              "attempts per notification (delivered, failed, dropped or deleted)");
  double top = 0;
  for (auto n : bars) top = std::max(top, double(n));
  c.y_linear(0, std::max(top, 1.0));
  c.axes();
  if (h.empty()) {
    c.no_data("no notification reached a final state");
    return c.finish();
  }
  const double slot = c.x()(1) - c.x()(0);
  for (std::size_t a = first; a < bars.size(); ++a) {
    if (bars[a] == 0) continue;
    const double x = c.x()(double(a)) - slot * 0.35, y = c.y()(double(bars[a]));
    c.rect_px(x, y, slot * 0.7, c.plot_bottom() - y, "bar",
              fmt::format("{} attempt{}: {} notifications", labels[a - first].second,
                          a == 1 ? "" : "s", bars[a]));
    c.text_px(x + slot * 0.35, y - 4, count_label(double(bars[a])), "bar-value", "middle");
  }
  return c.finish();
}

std::string errors_chart(const run_report& r) {
  const auto& by_class = r.metrics.totals().failures_by_class;
  std::vector<std::pair<std::string, std::uint64_t>> rows(by_class.begin(), by_class.end());
  std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.second > b.second; });
  const double height = 70 + 30 * double(std::max<std::size_t>(rows.size(), 1));
  svg_canvas c("chart-errors", "Failed attempts by class", "", 960, height);
  const double label_right = 210, left = 220, right = c.plot_right() - 90;
  std::uint64_t total = 0, top = 1;
  for (const auto& [cls, n] : rows) total += n, top = std::max(top, n);
  if (rows.empty()) {
    c.no_data("no failed attempts");
    return c.finish();
  }
  double y = c.plot_top() - 24;  // no legend on this chart
  for (const auto& [cls, n] : rows) {
    const double w = (right - left) * double(n) / double(top);
    c.text_px(label_right, y + 15, cls, "bar-label", "end");
    c.rect_px(left, y + 2, std::max(w, 1.0), 18, "bar-error",
              fmt::format("{}: {} failed attempts", cls, n));
    c.text_px(left + w + 6, y + 15,
              fmt::format("{} ({:.1f}%)", n, 100.0 * double(n) / double(total)), "bar-value");
    y += 30;
  }
  c.text_px(left, y + 18, fmt::format("{} failed attempts in all", total), "tick");
  return c.finish();
}

}  // namespace outbound::reports
