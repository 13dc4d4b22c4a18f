// A definition from a retrieved <Object>.workflow-meta.xml (the only or first outbound message).
#include "fuzz/fuzz_input.hpp"
#include "soap/definition.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  fuzz::expect_input_error([&] {
    soap::definition_from_workflow_xml(fuzz::text(data, size), "Account.workflow-meta.xml");
  });
  return 0;
}
