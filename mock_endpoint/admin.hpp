#pragma once
// The admin API under /__admin/, as a function of the endpoint like the SOAP handling: the server
// checks the token and passes the request; tests and scenarios can call it without sockets.
//   http_reply r = handle_admin(ep, {.method = "GET", .target = "/__admin/ledger"}, now);
// GET ledger | requests?limit=N | faults | outage | metrics | health;  POST faults | outage;
// DELETE ledger | outage.

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "common/clock.hpp"
#include "mock_endpoint/outcome.hpp"
#include "mock_endpoint/responder.hpp"

namespace outbound::mock_endpoint {

inline constexpr std::string_view admin_prefix = "/__admin/";

bool is_admin_target(std::string_view target);

http_reply handle_admin(responder& ep, const request_view& req, time_point now);

// {"messages", "notifications", "unique_notifications", "duplicates", "acked_notifications",
//  "stale", "records", "requests", "connections", "rejected", "faults_injected": {kind: n},
//  "ledger_bytes"}
nlohmann::json ledger_json(const responder& ep);
// The same counters in Prometheus' text format (outbound_mock_*), with the response-time
// histogram, responses by status and outcome, and whether an outage is open at `now`.
std::string prometheus_metrics(const responder& ep, time_point now);

}  // namespace outbound::mock_endpoint
