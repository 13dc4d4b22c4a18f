// A scenario file's text, read the way load_scenario reads it. Definition files it names are
// resolved against a folder that does not exist, so they are refused rather than read.
#include "scenarios/scenario.hpp"
#include "common/json_text.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  fuzz::expect_input_error([&] {
    const std::filesystem::path file = "/nonexistent-outbound-fuzz/scenario.json";
    const nlohmann::json j = parse_json(fuzz::text(data, size), file.string());
    read_json_guarded(file.string(), [&] { return scenarios::scenario_from_json(j, file); });
  });
  return 0;
}
