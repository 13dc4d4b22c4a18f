#include "scenarios/runner.hpp"

#include "reports/render.hpp"

namespace outbound::scenarios {

std::string interrupted_warning(duration simulated) {
  // format_us, not format_duration: people read "12.4s", not "12s377ms".
  return "interrupted " + reports::format_us(static_cast<double>(simulated.count())) +
         " into the scenario: this report covers the run so far, and its expectations were judged "
         "on it";
}

run_result run_scenario(const scenario& s, const run_options& options, const clock& wall) {
  const clock_kind k = options.clock.value_or(s.clock);
  return k == clock_kind::real ? run_real(s, options, wall) : run_virtual(s, options, wall);
}

}  // namespace outbound::scenarios
