#pragma once
// Turns a definition's endpoint URL into the parts the transport connects with (scheme, host,
// port, request target), and the strings derived from them (Host header, connection-pool key).
//   destination ep = parse_destination("https://erp.example.com:8443/sf?x=1", "def.json",
//   "/endpointUrl"); ep.port == "8443"; ep.target == "/sf?x=1"; host_header(ep) ==
//   "erp.example.com:8443"

#include <string>
#include <string_view>

#include "sender/transport.hpp"

namespace outbound::sender {

// Throws outbound::input_error(file, field, what was expected) for anything that is not an
// absolute http or https URL with a host and a valid port. Does not apply Salesforce's port
// rules: soap::check_endpoint_url does that.
destination parse_destination(std::string_view url, const std::string& file = "--endpoint",
                              const std::string& field = "endpointUrl");

// The Host header: the host (IPv6 in brackets), with ":port" unless it is the scheme's default.
std::string host_header(const destination& ep);

// Endpoints with equal keys share connections: "https://host:port" (the path does not matter).
std::string pool_key(const destination& ep);

}  // namespace outbound::sender
