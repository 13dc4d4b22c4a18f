// soap::parse_envelope on any bytes (the mock parses every POST body with it). A parsed message
// must be one the protocol allows: 1 to 100 notifications. The reading without a DOM must return
// exactly the DOM's message whenever it returns one.
#include "soap/envelope.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  const std::string_view body = fuzz::text(data, size);
  const auto m = soap::parse_envelope(body);
  if (m) {
    fuzz::require(!m->notifications.empty(), "a parsed envelope has a notification");
    fuzz::require(m->notifications.size() <= soap::max_notifications,
                  "a parsed envelope has at most 100 notifications");
  } else {
    fuzz::require(!m.error().empty(), "a refused envelope says why");
  }
  if (const auto fast = soap::detail::parse_canonical_envelope(body)) {
    const auto dom = soap::detail::parse_envelope_by_dom(body);
    fuzz::require(static_cast<bool>(dom), "the DOM accepts what the canonical reading accepts");
    fuzz::require(*fast == *dom, "the canonical reading returns the DOM's message");
  }
  return 0;
}
