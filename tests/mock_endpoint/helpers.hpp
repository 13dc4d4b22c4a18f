#pragma once
// Shared by the mock endpoint's tests: valid messages and a fixed start time.
//   soap::message m = account_message(3);  std::string body = soap::write_envelope(m);

#include <string>

#include "common/clock.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"

namespace outbound::mock_endpoint::testing {

inline time_point t0() {
  return *parse_timestamp("2026-01-05T09:00:00Z");
}

// `count` Account notifications; ids start at `first`; modstamp optional.
inline soap::message account_message(std::size_t count, std::uint64_t first = 1,
                                     const std::string& modstamp = "") {
  soap::message m;
  m.header = soap::make_header(soap::make_id("00D", 1), soap::make_id("04k", 1), "59.0");
  for (std::size_t i = 0; i < count; ++i) {
    soap::notification n;
    n.id = soap::make_id("04l", first + i);
    n.object.type = "Account";
    n.object.id = soap::make_id("001", first + i);
    n.object.fields.push_back({"Name", "Acme " + std::to_string(first + i)});
    if (!modstamp.empty()) n.object.fields.push_back({"SystemModstamp", modstamp});
    m.notifications.push_back(std::move(n));
  }
  return m;
}

}  // namespace outbound::mock_endpoint::testing
