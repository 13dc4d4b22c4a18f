#pragma once
// report.html for a load test (kind "load"): threshold results at the top, the requested and
// achieved rate, latency and service-time percentiles and errors per class over time, a
// statistics table per definition like Gatling's, and the parameters in human units. render_html
// calls it for a load report that carries its series (report.json's "load").
//   std::string html = render_load_html(report);  // each chart <svg data-chart="chart-rate">

#include <string>
#include <string_view>
#include <vector>

#include "reports/report.hpp"

namespace outbound::reports {

std::string render_load_html(const run_report& r);

// The parameters in words and human units, "batch 1; duration 30.0s; rate 2000/s; ...", for
// places with room for one line (junit.xml's "parameters" property); report.json keeps numbers.
std::string parameters_text(const nlohmann::json& parameters);

}  // namespace outbound::reports
