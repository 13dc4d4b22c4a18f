// sap_downtime.json scaled to 100,000 notifications over 24 simulated hours, in virtual time.
// Goal (issue 5): at most 10 s of wall time. Reports simulated events per second
// (event_loop::fired() over the wall time) and notifications per second.
//   build/bench/scenario_bench --benchmark_min_time=1x
#include <benchmark/benchmark.h>

#include <filesystem>

#include "scenarios/runner.hpp"

namespace {

using namespace outbound;

scenarios::scenario scaled_sap_downtime() {
  // CMake compiles with absolute paths: the repository is this file's folder's parent.
  const auto file = std::filesystem::path(__FILE__).parent_path().parent_path() / "scenarios" /
                    "library" / "sap_downtime.json";
  nlohmann::json j = scenarios::load_scenario(file).source;
  j["duration"] = "24h";
  j["definitions"][0]["workload"]["changes"] =
      nlohmann::json::array({{{"kind", "constant"}, {"rate", 100000.0 / 86400}}});
  // The story's expectations, without the counts at fixed times (the workload is bigger).
  j["expectations"].erase("during");
  return scenarios::scenario_from_json(j, file);
}

void sap_downtime_100k_24h(benchmark::State& state) {
  const scenarios::scenario s = scaled_sap_downtime();
  std::uint64_t events = 0, delivered = 0;
  bool passed = true;
  for (auto _ : state) {
    manual_clock wall(scenarios::default_start());
    const auto r = scenarios::run_virtual(s, {}, wall);
    events += r.events;
    delivered += r.report.metrics.totals().notifications_delivered;
    passed = passed && r.report.passed();
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["notifications_per_second"] =
      benchmark::Counter(static_cast<double>(delivered), benchmark::Counter::kIsRate);
  state.counters["events_per_run"] =
      static_cast<double>(events) / static_cast<double>(state.iterations());
  state.counters["delivered_per_run"] =
      static_cast<double>(delivered) / static_cast<double>(state.iterations());
  if (!passed) state.SkipWithError("an expectation of the scaled scenario failed");
}
BENCHMARK(sap_downtime_100k_24h)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
