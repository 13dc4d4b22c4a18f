#include "mock_endpoint/request_log.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace outbound::mock_endpoint {
namespace {

double milliseconds(duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

std::string format_request_line(const request_log_entry& e, log_format f) {
  if (f == log_format::json) {
    nlohmann::json faults = nlohmann::json::array();
    for (fault_kind k : e.faults) faults.push_back(std::string(to_string(k)));
    const nlohmann::json j{{"time", format_timestamp(e.at)},
                           {"peer", e.peer},
                           {"method", e.method},
                           {"target", e.target},
                           {"notifications", e.notifications},
                           {"status", e.status},
                           {"answer", std::string(e.answer)},
                           {"faults", faults},
                           {"duration_ms", milliseconds(e.took)}};
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string faults;
  for (fault_kind k : e.faults) faults += (faults.empty() ? "" : ",") + std::string(to_string(k));
  return fmt::format("{} {} {} {} notifications={} answer={} status={} fault={} {:.1f}ms",
                     format_timestamp(e.at), e.peer, e.method.empty() ? "-" : e.method,
                     e.target.empty() ? "-" : e.target, e.notifications, e.answer,
                     e.status == 0 ? std::string("-") : std::to_string(e.status),
                     faults.empty() ? "-" : faults, milliseconds(e.took));
}

std::string format_window_line(time_point at, bool opened, const std::string& window,
                               log_format f) {
  if (f == log_format::json) {
    return nlohmann::json{{"time", format_timestamp(at)},
                          {"event", opened ? "fault_window_opened" : "fault_window_closed"},
                          {"window", window}}
        .dump();
  }
  return fmt::format("{} fault window {}: {}", format_timestamp(at), opened ? "opened" : "closed",
                     window);
}

}  // namespace outbound::mock_endpoint
