// soap::parse_envelope on any bytes (the mock parses every POST body with it). A parsed message
// must be one the protocol allows: 1 to 100 notifications.
#include "soap/envelope.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  const auto m = soap::parse_envelope(fuzz::text(data, size));
  if (m) {
    fuzz::require(!m->notifications.empty(), "a parsed envelope has a notification");
    fuzz::require(m->notifications.size() <= soap::max_notifications,
                  "a parsed envelope has at most 100 notifications");
  } else {
    fuzz::require(!m.error().empty(), "a refused envelope says why");
  }
  return 0;
}
