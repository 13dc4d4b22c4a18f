// A definition from a Salesforce-generated outbound message WSDL.
#include "fuzz/fuzz_input.hpp"
#include "soap/definition.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  fuzz::expect_input_error(
      [&] { soap::definition_from_wsdl(fuzz::text(data, size), "fuzz.wsdl"); });
  return 0;
}
