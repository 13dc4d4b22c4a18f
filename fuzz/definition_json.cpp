// A definition in the project's JSON, read the way load_definition reads a file's text.
#include "common/json_text.hpp"
#include "fuzz/fuzz_input.hpp"
#include "soap/definition.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  fuzz::expect_input_error([&] {
    const std::string file = "fuzz.json";
    const nlohmann::json j = parse_json(fuzz::text(data, size), file);
    const soap::definition d =
        read_json_guarded(file, [&] { return soap::definition_from_json(j, file); });
    // What was accepted must read back the same from its own JSON form.
    fuzz::require(soap::definition_from_json(soap::to_json(d), file) == d,
                  "a definition reads back from to_json");
  });
  return 0;
}
