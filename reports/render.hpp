#pragma once
// Renderers of a run_report: the report folder (report.json, report.html, junit.xml, status.csv)
// and the one-screen terminal summary. Pure functions of the report, except the folder writer.
//   write_report_folder(report, "out/sap_downtime");   // creates the folder if needed
//   std::fputs(text_summary(report).c_str(), stdout);

#include <filesystem>
#include <string>
#include <string_view>

#include "reports/report.hpp"

namespace outbound::reports {

// Writes the four files into `dir` (created with parents). Throws std::runtime_error when a
// file cannot be written.
void write_report_folder(const run_report& r, const std::filesystem::path& dir);

// One self-contained HTML page with inline SVG charts (ids, also in data-chart: chart-throughput,
// chart-queue, chart-latency, chart-attempts, chart-errors) and the expectation and
// delivery-status tables; a check report has its own page instead (reports/check_page.hpp).
std::string render_html(const run_report& r);
// JUnit XML: one testsuite named after the run, one testcase per check, each failure's message
// and text starting with the reason, then the measured value (and a check's body excerpt).
std::string render_junit(const run_report& r);
// The delivery-status table as CSV (RFC 4180: CRLF line ends, fields quoted when needed).
std::string render_status_csv(const run_report& r);
// The terminal summary: counts, retries and duplicates, drain time, latency percentiles, checks.
// <= ~24 lines. A check report: every check, failures first (reports/check_page.hpp).
std::string text_summary(const run_report& r);

// Helpers shared by the renderers (and handy for callers writing their own text).
// Drops what XML 1.0 forbids (control characters but tab, CR, LF); bad UTF-8 becomes U+FFFD.
std::string xml_clean(std::string_view s);
// xml_clean, then & < > " ' escaped: safe in XML/HTML text and attribute values.
std::string xml_escape_text(std::string_view s);
// A CSV field, quoted (with "" for ") when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view s);
// At most `max_bytes` bytes, marked "..." when cut: after a whole word when one ends in the second
// half, and never inside a UTF-8 character.
std::string clip_words(std::string_view s, std::size_t max_bytes);
// A duration in us for people: "850us", "12.3ms", "4.51s", "12m30s", "1h12m", "2d03h".
std::string format_us(double us);

}  // namespace outbound::reports
