#pragma once
// The shape of an `outbound check` report (kind "check"): one row per check with what was sent,
// what came back and why it failed, instead of a scenario's sender tiles, queue charts and
// delivery-status table, which mean nothing for a conformance battery. Used by render_html and
// text_summary for reports of that kind.
//   if (r.kind == "check") page += check_sections(r);

#include <string>

#include "reports/report.hpp"

namespace outbound::reports {

// The HTML sections under the title block: the checks table (failures first) and what the
// battery sent in all. Charts: none.
std::string check_sections(const run_report& r);

// The terminal summary: a verdict line, then every check, failures first, each failure with its
// reason, what was sent, what came back and the start of an unexpected body; never clipped.
std::string check_text_summary(const run_report& r);

}  // namespace outbound::reports
