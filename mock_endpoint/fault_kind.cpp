#include "mock_endpoint/fault_kind.hpp"

namespace outbound::mock_endpoint {
namespace {

constexpr std::array<std::string_view, fault_kind_count> names = {
    "refuse",
    "close",
    "stall",
    "reset_before_read",
    "tls_untrusted",
    "tls_hostname",
    "tls_expired",
    "tls_client_certificate",
    "reset_after_read",
    "http_status",
    "html_error_page",
    "wrong_content_type",
    "nack",
    "soap_fault",
    "not_an_ack",
    "empty_body",
    "truncated_body",
    "garbage",
    "delay",
    "slow_body",
    "bandwidth",
};

}  // namespace

std::string_view to_string(fault_kind k) {
  return names[static_cast<std::size_t>(k)];
}

std::optional<fault_kind> fault_kind_from_string(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<fault_kind>(i);
  }
  return std::nullopt;
}

bool is_connection_fault(fault_kind k) {
  return static_cast<int>(k) <= static_cast<int>(fault_kind::tls_client_certificate);
}

bool is_tls_fault(fault_kind k) {
  return k >= fault_kind::tls_untrusted && k <= fault_kind::tls_client_certificate;
}

bool is_timing_fault(fault_kind k) {
  return k == fault_kind::delay || k == fault_kind::slow_body || k == fault_kind::bandwidth;
}

}  // namespace outbound::mock_endpoint
