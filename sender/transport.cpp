#include "sender/transport.hpp"

namespace outbound::sender {

std::string_view to_string(transport_error e) {
  switch (e) {
    case transport_error::none:
      return "none";
    case transport_error::refused:
      return "refused";
    case transport_error::unknown_host:
      return "unknown_host";
    case transport_error::unreachable:
      return "unreachable";
    case transport_error::reset:
      return "reset";
    case transport_error::closed:
      return "closed";
    case transport_error::timeout:
      return "timeout";
    case transport_error::tls_untrusted:
      return "tls_untrusted";
    case transport_error::tls_expired:
      return "tls_expired";
    case transport_error::tls_hostname:
      return "tls_hostname";
    case transport_error::tls_alert:
      return "tls_alert";
    case transport_error::tls_other:
      return "tls_other";
    case transport_error::protocol:
      return "protocol";
  }
  return "protocol";
}

std::string_view to_string(transport_phase p) {
  switch (p) {
    case transport_phase::resolve:
      return "resolve";
    case transport_phase::connect:
      return "connect";
    case transport_phase::handshake:
      return "handshake";
    case transport_phase::write:
      return "write";
    case transport_phase::read:
      return "read";
  }
  return "read";
}

}  // namespace outbound::sender
