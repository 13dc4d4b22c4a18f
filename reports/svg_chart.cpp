#include "reports/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/render.hpp"

namespace outbound::reports {

double svg_scale::operator()(double v) const {
  double a = lo, b = hi;
  if (log) {
    v = std::log10(std::max(v, 1e-300));
    a = std::log10(std::max(lo, 1e-300));
    b = std::log10(std::max(hi, 1e-300));
  }
  if (b == a) return (px_lo + px_hi) / 2;
  return px_lo + (v - a) / (b - a) * (px_hi - px_lo);
}

std::vector<double> linear_ticks(double lo, double hi, int approx) {
  std::vector<double> ticks;
  if (!(hi > lo) || approx < 1) return {lo};
  const double raw = (hi - lo) / approx;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

std::string count_label(double v) {
  const double a = std::abs(v);
  auto trim = [](std::string s) {
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
    return s;
  };
  if (a >= 1e6) return trim(fmt::format("{:.1f}", v / 1e6)) + "M";
  if (a >= 1e4) return trim(fmt::format("{:.0f}", v / 1e3)) + "k";
  if (a >= 1e3) return trim(fmt::format("{:.1f}", v / 1e3)) + "k";
  return trim(fmt::format("{:.2f}", v));
}

long long time_tick_step(long long span_us, int approx) {
  static const long long steps_s[] = {1,     2,     5,     10,    15,     30,    60,
                                      120,   300,   600,   900,   1800,   3600,  7200,
                                      10800, 21600, 43200, 86400, 172800, 604800};
  const long long want = span_us / std::max(approx, 1);
  for (auto s : steps_s)
    if (s * 1000000 >= want) return s * 1000000;
  return 604800LL * 1000000;
}

svg_canvas::svg_canvas(std::string id, std::string title, std::string y_label, double width,
                       double height)
    : id_(std::move(id)),
      title_(std::move(title)),
      y_label_(std::move(y_label)),
      width_(width),
      height_(height) {
  x_ = {0, 1, left_, width_ - right_, false};
  y_ = {0, 1, height_ - bottom_, top_, false};
}

void svg_canvas::x_time(time_point from, time_point to, std::string x_label) {
  x_.lo = double(from.time_since_epoch().count());
  x_.hi = double(std::max(to, from + std::chrono::seconds(1)).time_since_epoch().count());
  x_.log = false;
  x_is_time_ = true;
  x_label_ = std::move(x_label);
  const auto span = static_cast<long long>(x_.hi - x_.lo);
  const auto step = time_tick_step(span, 8);
  const auto first = (static_cast<long long>(x_.lo) + step - 1) / step * step;
  x_labels_.clear();
  for (long long t = first; t <= static_cast<long long>(x_.hi); t += step) {
    const auto ts = format_timestamp_us(time_point(duration(t)));  // 2026-01-05T09:00:00.000000Z
    std::string label = step < 60000000 ? ts.substr(11, 8) : ts.substr(11, 5);
    if (span > 36LL * 3600 * 1000000)
      label = ts.substr(5, 5) + (step % 86400000000LL ? " " + label : "");
    x_labels_.emplace_back(double(t), label);
  }
}

void svg_canvas::x_numeric(double lo, double hi, bool log,
                           std::vector<std::pair<double, std::string>> labels,
                           std::string x_label) {
  x_.lo = lo, x_.hi = hi, x_.log = log;
  x_is_time_ = false;
  x_labels_ = std::move(labels);
  x_label_ = std::move(x_label);
}

void svg_canvas::y_linear(double lo, double hi) {
  if (!(hi > lo)) hi = lo + 1;
  // Round the top up to the next tick so the highest value sits under a labelled grid line.
  const auto ticks = linear_ticks(lo, hi, 5);
  if (ticks.size() >= 2) {
    const double step = ticks[1] - ticks[0];
    hi = std::ceil(hi / step - 1e-9) * step;
  }
  y_ = {lo, hi, height_ - bottom_, top_, false};
}

namespace {
// Log-axis ticks in us at durations people read at a glance: 1us ... 100ms, 1s, 10s, 1m, 10m, 1h,
// 10h, 1d, 10d.
constexpr double duration_ticks[] = {1,   10,  100,   1e3,    1e4,     1e5,     1e6,    1e7,
                                     6e7, 6e8, 3.6e9, 3.6e10, 8.64e10, 8.64e11, 8.64e12};
}  // namespace

namespace {
// format_us without trailing zeros, for round tick values: "10s" rather than "10.0s".
std::string tick_duration(double us) {
  auto s = format_us(us);
  const auto dot = s.find('.');
  if (dot == std::string::npos) return s;
  auto unit = s.find_first_not_of("0123456789", dot + 1);
  auto digits = s.substr(dot + 1, unit - dot - 1);
  if (digits.find_first_not_of('0') != std::string::npos) return s;
  return s.substr(0, dot) + s.substr(unit);
}
}  // namespace

void svg_canvas::y_log(double lo, double hi) {
  double a = duration_ticks[0], b = duration_ticks[std::size(duration_ticks) - 1];
  for (double t : duration_ticks)
    if (t <= std::max(lo, 1.0)) a = t;
  for (auto it = std::rbegin(duration_ticks); it != std::rend(duration_ticks); ++it)
    if (*it >= std::max(hi, a * 10)) b = *it;
  y_ = {a, b, height_ - bottom_, top_, true};
}

void svg_canvas::axes() {
  const double l = plot_left(), r = plot_right(), t = plot_top(), b = plot_bottom();
  std::vector<double> yticks;
  if (y_.log) {
    for (double v : duration_ticks)
      if (v >= y_.lo && v <= y_.hi) yticks.push_back(v);
  } else {
    yticks = linear_ticks(y_.lo, y_.hi, 5);
  }
  for (double v : yticks) {
    const double y = y_(v);
    body_ += fmt::format(R"(<line class="grid" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)",
                         l, y, r, y);
    text_px(l - 8, y + 4, y_.log ? tick_duration(v) : count_label(v), "tick", "end");
  }
  for (const auto& [v, label] : x_labels_) {
    const double x = x_(v);
    if (x < l - 0.5 || x > r + 0.5) continue;
    body_ += fmt::format(R"(<line class="grid" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)",
                         x, t, x, b);
    text_px(x, b + 16, label, "tick", "middle");
  }
  body_ += fmt::format(R"(<line class="axis" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", l,
                       b, r, b);
  body_ += fmt::format(R"(<line class="axis" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", l,
                       t, l, b);
  if (!x_label_.empty()) text_px((l + r) / 2, height_ - 8, x_label_, "axis-label", "middle");
  overlay_ += fmt::format(
      R"svg(<text class="axis-label" transform="translate(16 {:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg",
      (t + b) / 2, xml_escape_text(y_label_));
}

void svg_canvas::band(double x0, double x1, const std::string& label, const std::string& cls) {
  const double a = std::clamp(x_(x0), plot_left(), plot_right());
  const double b = std::clamp(x_(x1), plot_left(), plot_right());
  if (b - a < 0.5) return;
  body_ += fmt::format(R"(<rect class="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">)",
                       cls, a, plot_top(), b - a, plot_bottom() - plot_top());
  body_ += "<title>" + xml_escape_text(label) + "</title></rect>";
  if (b - a > 40) {
    overlay_ += fmt::format(
        R"(<text class="band-label" x="{:.1f}" y="{:.1f}">{}</text>)", a + 4, plot_top() + 12,
        xml_escape_text(label.size() > 40 ? label.substr(0, 37) + "..." : label));
  }
}

void svg_canvas::marker(double x, const std::string& label, const std::string& cls) {
  const double px = x_(x);
  if (px < plot_left() - 0.5 || px > plot_right() + 0.5) return;
  overlay_ += fmt::format(
      R"(<line class="marker {}" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"><title>{}</title></line>)",
      cls, px, plot_top(), px, plot_bottom(), xml_escape_text(label));
  // Along the line, top to bottom, so that markers close together do not overwrite each other.
  overlay_ += fmt::format(
      R"svg(<text class="marker-label {}-label" transform="translate({:.1f} {:.1f}) rotate(90)">{}</text>)svg",
      cls, px + 3, plot_top() + 18, xml_escape_text(clip_words(label, 40)));
}

void svg_canvas::polyline(const std::vector<std::pair<double, double>>& pts, const std::string& cls,
                          const std::string& tooltip, bool area) {
  if (pts.empty()) return;
  std::string d;
  for (const auto& [x, y] : pts) d += fmt::format("{:.1f},{:.1f} ", x_(x), y_(y));
  if (area) {
    const auto base = fmt::format("{:.1f},{:.1f} {:.1f},{:.1f}", x_(pts.back().first),
                                  plot_bottom(), x_(pts.front().first), plot_bottom());
    body_ += fmt::format(R"(<polygon class="{}-area" points="{}{}"/>)", cls, d, base);
  }
  d.pop_back();
  body_ += fmt::format(R"(<polyline class="{}" points="{}"><title>{}</title></polyline>)", cls, d,
                       xml_escape_text(tooltip));
}

void svg_canvas::rect_px(double x, double y, double w, double h, const std::string& cls,
                         const std::string& tooltip) {
  body_ += fmt::format(R"(<rect class="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">)",
                       cls, x, y, std::max(w, 0.0), std::max(h, 0.0));
  body_ += "<title>" + xml_escape_text(tooltip) + "</title></rect>";
}

void svg_canvas::circle_px(double x, double y, double r, const std::string& cls,
                           const std::string& tooltip) {
  body_ += fmt::format(R"(<circle class="{}" cx="{:.1f}" cy="{:.1f}" r="{:.1f}">)", cls, x, y, r);
  body_ += "<title>" + xml_escape_text(tooltip) + "</title></circle>";
}

void svg_canvas::text_px(double x, double y, const std::string& text, const std::string& cls,
                         const char* anchor) {
  body_ += fmt::format(R"(<text class="{}" x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>)", cls,
                       x, y, anchor, xml_escape_text(text));
}

namespace {
constexpr double legend_row_height = 18;
double legend_entry_width(const std::string& label) {
  return 30 + 7.0 * static_cast<double>(label.size());
}
}  // namespace

void svg_canvas::legend(const std::vector<std::pair<std::string, std::string>>& entries) {
  double x = plot_left(), y = 22;  // the first row; the plot starts below the last
  for (const auto& [label, cls] : entries) {
    const double w = legend_entry_width(label);
    if (x > plot_left() && x + w > plot_right()) x = plot_left(), y += legend_row_height;
    overlay_ += fmt::format(
        R"(<rect class="{}-swatch" x="{:.1f}" y="{:.1f}" width="14" height="4" rx="1"/>)", cls, x,
        y);
    overlay_ += fmt::format(R"(<text class="legend" x="{:.1f}" y="{:.1f}">{}</text>)", x + 19,
                            y + 5, xml_escape_text(label));
    x += w;
  }
}

void svg_canvas::reserve_legend(const std::vector<std::pair<std::string, std::string>>& entries) {
  int rows = 1;
  double x = plot_left();
  for (const auto& [label, cls] : entries) {
    const double w = legend_entry_width(label);
    if (x > plot_left() && x + w > plot_right()) x = plot_left(), ++rows;
    x += w;
  }
  const double extra = legend_row_height * (rows - 1);
  top_ += extra;
  height_ += extra;
  y_ = {y_.lo, y_.hi, height_ - bottom_, top_, y_.log};
}

void svg_canvas::no_data(const std::string& message) {
  text_px((plot_left() + plot_right()) / 2, (plot_top() + plot_bottom()) / 2, message, "no-data",
          "middle");
}

std::string svg_canvas::finish() const {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" id="{}" data-chart="{}" class="chart" viewBox="0 0 {:.0f} {:.0f}" )"
      R"(role="img" aria-label="{}"><title>{}</title>{}{}</svg>)",
      id_, id_, width_, height_, xml_escape_text(title_), xml_escape_text(title_), body_, overlay_);
}

}  // namespace outbound::reports
