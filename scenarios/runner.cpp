#include "scenarios/runner.hpp"

namespace outbound::scenarios {

std::string interrupted_warning(duration simulated) {
  return "interrupted " +
         format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(simulated)) +
         " into the scenario: this report covers the run so far, and its expectations were judged "
         "on it";
}

run_result run_scenario(const scenario& s, const run_options& options, const clock& wall) {
  const clock_kind k = options.clock.value_or(s.clock);
  return k == clock_kind::real ? run_real(s, options, wall) : run_virtual(s, options, wall);
}

}  // namespace outbound::scenarios
