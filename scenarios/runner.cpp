#include "scenarios/runner.hpp"

namespace outbound::scenarios {

run_result run_scenario(const scenario& s, const run_options& options, const clock& wall) {
  const clock_kind k = options.clock.value_or(s.clock);
  return k == clock_kind::real ? run_real(s, options, wall) : run_virtual(s, options, wall);
}

}  // namespace outbound::scenarios
