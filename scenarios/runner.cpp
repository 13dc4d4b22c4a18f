#include "scenarios/runner.hpp"

#include <fmt/format.h>

#include "reports/render.hpp"

namespace outbound::scenarios {

std::string interrupted_warning(duration simulated) {
  // format_us, not format_duration: people read "12.4s", not "12s377ms".
  return "interrupted " + reports::format_us(static_cast<double>(simulated.count())) +
         " into the scenario: this report covers the run so far, and its expectations were judged "
         "on it";
}

namespace {

// A rate per second, minute or hour, whichever reads as a number people say: "12/s", "4.0/m".
std::string rate_text(double per_second) {
  if (per_second >= 1 || per_second == 0) return fmt::format("{:.0f}/s", per_second);
  if (per_second * 60 >= 1) return fmt::format("{:.1f}/m", per_second * 60);
  return fmt::format("{:.1f}/h", per_second * 3600);
}

}  // namespace

std::string progress_text(const run_progress& p, duration wall) {
  const auto us = [](duration d) { return reports::format_us(static_cast<double>(d.count())); };
  const double seconds = std::chrono::duration<double>(p.simulated).count();
  return (p.real_clock ? "elapsed " : "simulated ") + us(p.simulated) +
         (p.simulated < p.length ? ", " + us(p.length - p.simulated) + " left" : ", draining") +
         (p.real_clock ? "" : "  wall " + us(wall)) + "  accepted " + std::to_string(p.accepted) +
         "  delivered " + std::to_string(p.delivered) + " (" +
         rate_text(seconds > 0 ? static_cast<double>(p.delivered) / seconds : 0.0) +
         ")  failed attempts " + std::to_string(p.failed_attempts);
}

run_result run_scenario(const scenario& s, const run_options& options, const clock& wall) {
  const clock_kind k = options.clock.value_or(s.clock);
  return k == clock_kind::real ? run_real(s, options, wall) : run_virtual(s, options, wall);
}

}  // namespace outbound::scenarios
