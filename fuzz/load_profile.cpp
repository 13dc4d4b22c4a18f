// A load profile's text, read the way `outbound load --profile` reads it. Definition files it
// names are resolved against a folder that does not exist, so they are refused rather than read.
#include "modes/load_profile.hpp"

#include "common/json_text.hpp"
#include "fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  fuzz::expect_input_error([&] {
    const std::string file = "/nonexistent-outbound-fuzz/profile.json";
    const nlohmann::json j = parse_json(fuzz::text(data, size), file);
    read_json_guarded(file, [&] { return modes::load_profile_from_json(j, file); });
  });
  return 0;
}
