#pragma once
// The admin API under /__admin/, as a function of the endpoint like the SOAP handling: the server
// checks the token and passes the request; tests and scenarios can call it without sockets.
//   http_reply r = handle_admin(ep, {.method = "GET", .target = "/__admin/ledger"}, now);
// GET ledger | ledger/notifications/ID | ledger/records/ID | requests?limit=N | requests/N |
// requests/N/body | faults | outage | metrics | health;  POST faults | outage;  DELETE ledger |
// outage. The streams (GET events, ledger/export, ledger/records) are written by the server
// in pages: streamed_resource() tells them apart, listing() makes the pages.

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/expected.hpp"
#include "mock_endpoint/outcome.hpp"
#include "mock_endpoint/responder.hpp"

namespace outbound::mock_endpoint {

inline constexpr std::string_view admin_prefix = "/__admin/";

bool is_admin_target(std::string_view target);

http_reply handle_admin(responder& ep, const request_view& req, time_point now);

// The admin resources served as a stream rather than one reply.
enum class admin_stream {
  none,
  events,         // GET events: server-sent events (event_ring.hpp)
  ledger_export,  // GET ledger/export: one JSON line per notification, in first-arrival order
  record_values,  // GET ledger/records: one JSON line per record whose values are kept
};
admin_stream streamed_resource(const request_view& req);

// The event id a watcher resumes after: ?after=N, else the Last-Event-ID header, else 0 (from
// the oldest event kept). The error names the parameter and what it expects.
expected<std::uint64_t> events_after(std::string_view target, std::string_view last_event_id);

// {"error": message} as the admin API writes it.
std::string admin_error_body(const std::string& message);

// A listing's lines from `from`, at most `max`, up to `end` (its size when the stream began).
struct listing_page {
  std::string text;      // JSON lines
  std::size_t next = 0;  // where the next page starts
};
// Why the ledger cannot list `which` (it keeps no ids, or no values); none when it can.
std::optional<std::string> listing_unavailable(const responder& ep, admin_stream which);
std::size_t listing_size(const responder& ep, admin_stream which);
listing_page listing(const responder& ep, admin_stream which, std::size_t from, std::size_t end,
                     std::size_t max);

// {"messages", "notifications", "unique_notifications", "duplicates", "retries",
// "acked_notifications",
//  "stale", "records", "requests", "connections", "rejected", "faults_injected": {kind: n},
//  "ledger_bytes"}
nlohmann::json ledger_json(const responder& ep);
// The same counters in Prometheus' text format (outbound_mock_*), with the response-time
// histogram, responses by status and outcome, and whether an outage is open at `now`.
std::string prometheus_metrics(const responder& ep, time_point now);

}  // namespace outbound::mock_endpoint
