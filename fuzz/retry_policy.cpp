// parse_retry_policy (--retry and a scenario's delivery.retry as text); an accepted policy must
// compute its intervals and next attempts without overflow (UBSan watches) and read back from its
// text and JSON forms.
#include <nlohmann/json.hpp>

#include "common/random.hpp"
#include "fuzz/fuzz_input.hpp"
#include "sender/retry_policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  fuzz::expect_input_error([&] {
    const auto p = sender::parse_retry_policy(fuzz::text(data, size));
    outbound::random rng(1);
    const time_point created{};
    for (int attempts : {1, 2, 3, 10, 60, 1000, 1'000'000}) {
      (void)p.interval(attempts);
      (void)p.next_attempt(attempts, created, created + std::chrono::hours(1), rng);
    }
    fuzz::require(sender::parse_retry_policy(p.to_string()) == p, "to_string reads back");
    fuzz::require(sender::retry_policy_from_json(sender::to_json(p), "fuzz", "") == p,
                  "to_json reads back");
  });
  return 0;
}
