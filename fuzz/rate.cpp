// parse_rate: an accepted rate is a finite number of events per second in (0, max_rate_per_second].
#include <cmath>

#include "common/rate.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  const auto r = parse_rate(fuzz::text(data, size));
  if (!r) return 0;
  fuzz::require(std::isfinite(*r) && *r >= 0 && *r <= max_rate_per_second,
                "a parsed rate is finite and within the limit");
  return 0;
}
