#pragma once
// What the scenario tests share: the path of a shipped library scenario, and every failed
// expectation of a report in one text, so that a failing test says which and by how much.
//   const auto r = play(load_scenario(library("sap_downtime.json")));
//   EXPECT_TRUE(r.passed()) << failures(r);

#include <filesystem>
#include <string>

#include "reports/report.hpp"

namespace outbound::scenarios {

inline std::filesystem::path library(const std::string& name) {
  return std::filesystem::path(OUTBOUND_SOURCE_DIR) / "scenarios" / "library" / name;
}

inline std::string failures(const reports::run_report& r) {
  std::string out;
  for (const auto& c : r.checks)
    if (!c.passed)
      out +=
          c.name + ": measured " + c.measured + ", expected " + c.expected + " " + c.message + "\n";
  return out;
}

}  // namespace outbound::scenarios
