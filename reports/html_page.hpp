#pragma once
// What every report page shares (defined in render_html.cpp): escaping, the time format of its
// tables, the stylesheet, the verdict badge of the title and a threshold's row. Used by the
// scenario page (render_html.cpp), the load page (render_load_html.cpp) and the check page
// (check_page.cpp).
//   out += "<td>" + esc(name) + "</td><td>" + table_time(t) + "</td>";

#include <string>
#include <string_view>

#include "reports/report.hpp"

namespace outbound::reports {

// `s` as HTML text or attribute value: xml_escape_text (render.hpp) under the short name the
// pages' templates use.
std::string esc(std::string_view s);
// "2026-01-05 09:00:00" (UTC), as the tables show a time.
std::string table_time(time_point t);
std::string_view report_stylesheet();
// "FAILED 1 of 3", "PASSED 3 of 3", or `none` when nothing was checked.
std::string verdict_badge(const run_report& r, std::string_view none);
// A threshold's table row: its verdict, itself, what was measured and the limit.
std::string threshold_row(const threshold_result& t);

}  // namespace outbound::reports
