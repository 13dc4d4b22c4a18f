#include "scenarios/certificates.hpp"

#include <algorithm>

namespace outbound::scenarios {

scenario_certificates make_https_certificates(time_point now) {
  scenario_certificates c;
  const auto day = std::chrono::hours(24);
  c.authority = net::make_certificate_authority("outbound scenario CA", now - day, now + 30 * day);
  const net::pem_identity leaf =
      net::issue_certificate(c.authority, {"127.0.0.1", "localhost"}, now - day, now + 30 * day);
  c.server.certificate_pem = leaf.certificate + c.authority.certificate;
  c.server.private_key_pem = leaf.private_key;
  c.server.fault_ca = c.authority;
  return c;
}

scenario_certificates make_scenario_certificates(const scenario& s, time_point now) {
  const bool any = std::any_of(s.endpoints.begin(), s.endpoints.end(),
                               [](const endpoint_entry& e) { return e.https; });
  return any ? make_https_certificates(now) : scenario_certificates{};
}

}  // namespace outbound::scenarios
