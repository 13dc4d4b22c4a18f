#pragma once
// The one parser of the http and https URLs a user gives (a definition's endpoint, --endpoint,
// a scenario's listener): Boost.URL underneath, and one set of words for what is refused, so
// every command accepts and refuses the same URLs. Salesforce's own rules (ports, https for
// session ids) are soap::check_endpoint_url's, on top of this.
//   http_url u = parse_http_url("HTTPS://ERP.example.com:8443/sf?x=1#top", "def.json", "/url");
//   u.tls == true;  u.host == "erp.example.com";  u.port == 8443;  u.target == "/sf?x=1"

#include <cstdint>
#include <string>
#include <string_view>

namespace outbound {

struct http_url {
  bool tls = false;           // https
  std::string host;           // lower case; an IPv6 address without its brackets
  std::uint16_t port = 0;     // as written, else the scheme's default (80 or 443)
  bool port_written = false;  // the URL names a port
  std::string target;         // path and query, at least "/"; a fragment is dropped
};

// Throws input_error(file, field, what was expected, with the URL shortened) for anything but an
// absolute http or https URL with a valid host name or IP address, no user:password@, and a port
// (when written) of digits between 1 and 65535.
http_url parse_http_url(std::string_view url, const std::string& file, const std::string& field);

}  // namespace outbound
