#pragma once
// The kinds of fault the mock endpoint injects, by family, and their names in plan files.
//   fault_kind k = *fault_kind_from_string("http_status");
//   if (is_connection_fault(k)) ...  // decided before reading, per connection

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace outbound::mock_endpoint {

enum class fault_kind {
  // connection: decided when a connection arrives
  refuse,
  close,
  stall,
  reset_before_read,
  tls_untrusted,
  tls_hostname,
  tls_expired,
  tls_client_certificate,
  // after the request was read
  reset_after_read,
  // HTTP
  http_status,
  html_error_page,
  wrong_content_type,
  // SOAP
  nack,
  soap_fault,
  not_an_ack,
  empty_body,
  truncated_body,
  garbage,
  // timing: combined with the answer chosen by the other entries
  delay,
  slow_body,
  bandwidth,
};

inline constexpr std::size_t fault_kind_count = static_cast<std::size_t>(fault_kind::bandwidth) + 1;

std::string_view to_string(fault_kind k);
std::optional<fault_kind> fault_kind_from_string(std::string_view name);

// Decided per connection before reading (refuse, close, stall, reset_before_read, tls_*).
bool is_connection_fault(fault_kind k);
// The tls_* kinds: they apply only where the endpoint serves HTTPS.
bool is_tls_fault(fault_kind k);
// Combined with the answer instead of replacing it (delay, slow_body, bandwidth).
bool is_timing_fault(fault_kind k);

// Injected faults by kind.
using fault_counters = std::array<std::uint64_t, fault_kind_count>;

}  // namespace outbound::mock_endpoint
