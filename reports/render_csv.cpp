// status.csv: the final delivery-status table, one row per notification still listed, RFC 4180.
#include "reports/render.hpp"

namespace outbound::reports {

std::string render_status_csv(const run_report& r) {
  std::string out =
      "state,outbound_message,object,record_id,notification_id,created,attempts,next_attempt,"
      "reason\r\n";
  for (const auto& row : r.status.rows) {
    const std::string fields[] = {
        row.state,
        row.outbound_message,
        row.object,
        row.record_id,
        row.notification_id,
        format_timestamp_us(row.created),
        std::to_string(row.attempts),
        row.next_attempt ? format_timestamp_us(*row.next_attempt) : std::string(),
        row.reason};
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out += ',';
      out += csv_field(f);
      first = false;
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace outbound::reports
