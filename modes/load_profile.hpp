#pragma once
// A load profile (docs/load.md, schema docs/load-profile.schema.json): one JSON file describing
// an open-loop load test, `outbound load --profile FILE`. Stages ramp, hold or step the rate;
// several definitions share the messages by weight, each with its batch sizes; the endpoint,
// connections, timeout, seed and thresholds may be given too. Read through the project's one input
// layer: every error names the file, the JSON pointer and what was expected, before anything runs.
//   load_profile p = read_load_profile("examples/load/ramp_hold.json");
//   options.stages = p.stages;  options.definitions = p.definitions;

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/duration.hpp"
#include "modes/load_mix.hpp"
#include "modes/load_schedule.hpp"
#include "reports/threshold.hpp"

namespace outbound::modes {

struct load_profile {
  std::string file;
  std::optional<std::string> endpoint;       // a URL, checked by the command
  std::vector<load_stage> stages;            // empty: --rate and --duration say
  std::vector<load_definition> definitions;  // empty: --definition and --batch say
  std::optional<std::size_t> connections;    // 1..10000
  std::optional<duration> timeout;           // > 0
  std::optional<std::uint64_t> seed;
  std::vector<reports::threshold> thresholds;
};

// Definition files are read relative to the profile's folder. Throws input_error.
load_profile read_load_profile(const std::string& file);
// The same from a parsed document; `file` names it in errors and locates definition files.
load_profile load_profile_from_json(const nlohmann::json& j, const std::string& file);

}  // namespace outbound::modes
