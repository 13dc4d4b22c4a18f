// A fault plan file's text, read the way load_fault_plan reads it; an accepted plan must read
// back the same from its own JSON form (what the admin API's GET /__admin/faults shows).
#include "mock_endpoint/fault_plan.hpp"
#include "common/json_text.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  fuzz::expect_input_error([&] {
    const std::string file = "plan.json";
    const nlohmann::json j = parse_json(fuzz::text(data, size), file);
    const auto plan =
        read_json_guarded(file, [&] { return mock_endpoint::fault_plan_from_json(j, file); });
    const auto again = mock_endpoint::fault_plan_from_json(mock_endpoint::to_json(plan), file);
    fuzz::require(mock_endpoint::to_json(again) == mock_endpoint::to_json(plan),
                  "a fault plan reads back from to_json");
  });
  return 0;
}
