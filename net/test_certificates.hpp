#pragma once
// Certificates made in memory with OpenSSL, for HTTPS tests and the mock's TLS faults: a CA, and
// leaf certificates it issues for given host names or IP addresses with a given validity.
//   pem_identity ca = make_certificate_authority("test CA", now - 1h, now + 24h);
//   pem_identity leaf = issue_certificate(ca, {"localhost", "127.0.0.1"}, now - 1h, now + 24h);
//   ssl_ctx.use_certificate_chain(buffer(leaf.certificate)); client trusts ca.certificate

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"

namespace outbound::net {

// A certificate and its private key, both PEM.
struct pem_identity {
  std::string certificate;
  std::string private_key;
  bool empty() const { return certificate.empty(); }
};

// A self-signed CA (EC P-256, SHA-256). Throws std::runtime_error if OpenSSL fails.
pem_identity make_certificate_authority(std::string_view common_name, time_point not_before,
                                        time_point not_after);

// A server-and-client leaf certificate signed by `ca`; each of `hosts` becomes a subjectAltName
// (an IP address if it parses as one, else a DNS name); the first is also the common name.
pem_identity issue_certificate(const pem_identity& ca, const std::vector<std::string>& hosts,
                               time_point not_before, time_point not_after);

}  // namespace outbound::net
