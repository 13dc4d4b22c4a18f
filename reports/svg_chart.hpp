#pragma once
// A small SVG plotting canvas for the HTML report: a fixed frame with a plot area, linear, log and
// time scales with readable ticks, and primitives that escape every piece of text. No script, no
// external resources; colours come from CSS classes defined in the report's stylesheet. Each chart
// declares itself with data-chart="<id>", which scripts/check-report-html looks for.
//   svg_canvas c("chart-queue", "Queue depth", "notifications");
//   c.x_time(from, to);  c.y_linear(0, 1200);  c.axes();  c.polyline(points, "s-queue");
//   std::string svg = c.finish();

#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"

namespace outbound::reports {

// Maps data values to pixels along one axis, linearly or by log10.
struct svg_scale {
  double lo = 0, hi = 1;
  double px_lo = 0, px_hi = 1;
  bool log = false;
  double operator()(double v) const;
};

// Ticks at 1, 2 or 5 times a power of ten covering [lo, hi], about `approx` of them.
std::vector<double> linear_ticks(double lo, double hi, int approx);
// "0", "950", "1.2k", "34k", "1.5M".
std::string count_label(double v);
// A tick step for a time axis of `span` us giving about `approx` ticks (1 s ... 7 d).
long long time_tick_step(long long span_us, int approx);

class svg_canvas {
 public:
  svg_canvas(std::string id, std::string title, std::string y_label, double width = 960,
             double height = 300);

  // x values are microseconds since the epoch (time_since_epoch().count()).
  void x_time(time_point from, time_point to, std::string x_label = "time (UTC)");
  // A numeric x axis; `labels` are placed at their values (empty: no x ticks).
  void x_numeric(double lo, double hi, bool log, std::vector<std::pair<double, std::string>> labels,
                 std::string x_label);
  void y_linear(double lo, double hi);
  void y_log(double lo, double hi);  // values in us; ticks at 1us, 10us, ... 1s, 10s, 1m, 10m, 1h
  // Grid, axis lines, ticks and labels for the scales set above.
  void axes();

  const svg_scale& x() const { return x_; }
  const svg_scale& y() const { return y_; }
  double plot_left() const { return left_; }
  double plot_right() const { return width_ - right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return height_ - bottom_; }

  // A shaded vertical band from x0 to x1 (data values) with a label at its top.
  void band(double x0, double x1, const std::string& label, const std::string& cls);
  // A vertical line across the plot at x (a data value) with its label along it, over the data.
  void marker(double x, const std::string& label, const std::string& cls);
  // A line through data points; `area` fills down to the x axis.
  void polyline(const std::vector<std::pair<double, double>>& pts, const std::string& cls,
                const std::string& tooltip, bool area = false);
  void rect_px(double x, double y, double w, double h, const std::string& cls,
               const std::string& tooltip);
  void circle_px(double x, double y, double r, const std::string& cls, const std::string& tooltip);
  void text_px(double x, double y, const std::string& text, const std::string& cls,
               const char* anchor = "start");
  // Legend entries drawn left to right above the plot, in rows as wide as the plot: (label, css
  // class of the swatch). Call reserve_legend with the same entries before setting the y scale
  // when they may need more than one row: the chart grows to make room.
  void legend(const std::vector<std::pair<std::string, std::string>>& entries);
  void reserve_legend(const std::vector<std::pair<std::string, std::string>>& entries);
  // A centred message in an empty plot.
  void no_data(const std::string& message);

  std::string finish() const;

 private:
  std::string id_, title_, y_label_, x_label_;
  double width_, height_;
  double left_ = 72, right_ = 24, top_ = 40, bottom_ = 46;
  svg_scale x_, y_;
  bool x_is_time_ = false;
  std::vector<std::pair<double, std::string>> x_labels_;
  std::string body_, overlay_;  // overlay: bands' labels, drawn last
};

}  // namespace outbound::reports
