#pragma once
// The certificates of a scenario's https endpoints on the real clock, made at start: a CA the
// sender trusts (as with --ca-file), a server certificate it issues for the loopback address, and
// the same CA issues the tls_hostname and tls_expired fault certificates, so the sender sees
// exactly those errors rather than an untrusted chain. (The virtual clock models the same trust.)
//   scenario_certificates c = make_scenario_certificates(s, wall.now());
//   server_options.tls = c.server;  http_transport_options.ca_pem = c.authority.certificate;

#include "common/clock.hpp"
#include "mock_endpoint/server.hpp"
#include "net/test_certificates.hpp"
#include "scenarios/scenario.hpp"

namespace outbound::scenarios {

struct scenario_certificates {
  net::pem_identity authority;         // trusted by the sender
  mock_endpoint::tls_settings server;  // every https endpoint's certificate and fault CA
};

// Valid from a day before `now` for 30 days. Throws std::runtime_error if OpenSSL fails.
scenario_certificates make_https_certificates(time_point now);
// Empty (no CA, no server certificate) when no endpoint of `s` is https.
scenario_certificates make_scenario_certificates(const scenario& s, time_point now);

}  // namespace outbound::scenarios
