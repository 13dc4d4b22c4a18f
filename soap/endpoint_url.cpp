// Salesforce's rules for outbound message endpoint URLs ("Setting up outbound messaging").
#include <string>

#include "common/http_url.hpp"
#include "common/input_error.hpp"
#include "soap/definition.hpp"

namespace outbound::soap {

void check_endpoint_url(const std::string& url, bool include_session_id, const std::string& file,
                        const std::string& path) {
  const http_url u = parse_http_url(url, file, path);
  auto quoted = [&] { return " (got \"" + shorten_value(url) + "\")"; };
  const std::uint16_t usual = u.tls ? 443 : 80;
  if (u.port_written && u.port < 1024 && u.port != usual)
    throw input_error(file, path,
                      std::string("a port that Salesforce allows: ") + (u.tls ? "443" : "80") +
                          " or 1024-65535 for " + (u.tls ? "https" : "http") + quoted());
  if (include_session_id && !u.tls)
    throw input_error(
        file, path,
        "an https URL, because Salesforce sends a session id only over https" + quoted());
}

}  // namespace outbound::soap
