#pragma once
// The "View Message Delivery Status" page: one row per queued, retrying or failed notification
// with the columns Salesforce shows, and the counts per state; as a text table or as JSON.
//   delivery_status s = collect_status(store);
//   std::cout << render_status_text(s);  // or status_to_json(s).dump(2)

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sender/store.hpp"

namespace outbound::sender {

// Long failure reasons are cut to this many characters and "..." on the page (an assumption:
// Salesforce truncates but does not publish the length).
inline constexpr std::size_t reason_width = 80;

struct status_row {
  std::string action = "Retry | Del";
  std::string outbound_message{};  // the definition's label (name), or its full_name
  std::string object{};
  std::string record_id{};
  time_point created{};
  int attempts = 0;
  std::optional<time_point> next_attempt{};  // none for failed ones
  std::string reason{};                      // the full last error
  std::string notification_id{};
  state status = state::queued;
};

struct delivery_status {
  state_counts summary{};
  std::vector<status_row> items{};  // queued, retrying and failed, in queue order
  std::size_t items_left_out = 0;   // beyond `limit`
};

// Rows for at most `limit` notifications (the page is for people; the summary counts all).
delivery_status collect_status(const store& s, std::size_t limit = 1000);

// "Retry | Del  Outbound Message  Object  Record Id  Created  Attempts  Next Attempt  Delivery
// Failure Reason" with the reason truncated to reason_width, then the counts per state.
std::string render_status_text(const delivery_status& s);

// {"summary": {"queued": n, "in_flight": n, "retrying": n, "delivered": n, "failed": n,
//  "dropped": n, "deleted": n}, "items": [{"id", "state", "action", "outbound_message",
//  "object", "record_id", "created", "attempts", "next_attempt" (or null), "reason"}]}
// Times are ISO 8601 UTC (format_timestamp); the reason is not truncated.
nlohmann::json status_to_json(const delivery_status& s);

// Salesforce's truncation of a long text for the page.
std::string truncate_reason(const std::string& reason, std::size_t width = reason_width);

// The Setup page of outbound messages: name, object, endpoint URL, fields, session id,
// dead-letter queue and the counts per state of each definition.
std::string render_definitions_text(const store& s);

}  // namespace outbound::sender
