// parse_duration: in range when accepted, and format_duration's text reads back as the same value.
#include "common/duration.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  const auto d = parse_duration(fuzz::text(data, size));
  if (!d) return 0;
  fuzz::require(d->count() >= 0 && *d <= max_duration, "a parsed duration is in [0, 100 years]");
  fuzz::require(parse_duration(format_duration(*d)) == d, "format_duration reads back");
  return 0;
}
