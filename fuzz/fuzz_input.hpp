#pragma once
// What every fuzz target shares: the input as text, and the one contract of a loader, "a value or
// an input_error". Any other exception escapes LLVMFuzzerTestOneInput and libFuzzer reports it as
// a finding (uncaught exception: abort), like a crash or a sanitizer report.
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//     outbound::fuzz::expect_input_error([&] { load(outbound::fuzz::text(data, size)); });
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/input_error.hpp"

namespace outbound::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `load`; an input_error is a correct refusal, so it is swallowed.
template <typename F>
void expect_input_error(F&& load) {
  try {
    load();
  } catch (const input_error&) {
  }
}

// A property that must hold for every input: a broken one is a finding, with the reason printed.
inline void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

}  // namespace outbound::fuzz
