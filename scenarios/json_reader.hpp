#pragma once
// Typed access to one JSON object of a scenario file, with errors that name the file, the JSON
// pointer and what was expected; used by the scenario loader only.
//   json_reader r{j, file, "/workload"};
//   r.only({"records", "mix"});  auto n = r.count("records", 0);

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/json_text.hpp"
#include "scenarios/scenario.hpp"

namespace outbound::scenarios::detail {

struct json_reader {
  const nlohmann::json& j;
  const std::string& file;
  std::string path;

  json_reader(const nlohmann::json& value, const std::string& file_name, std::string pointer,
              std::string_view what = "an object");

  std::string at(std::string_view key) const { return path + "/" + json_pointer_token(key); }
  [[noreturn]] void fail(std::string_view key, std::string expected) const;

  // Unknown keys are errors that list the known ones.
  void only(std::initializer_list<std::string_view> known) const;
  const nlohmann::json* find(std::string_view key) const;
  const nlohmann::json& required(std::string_view key, std::string_view what) const;

  std::optional<std::string> string(std::string_view key, std::string_view what) const;
  std::optional<std::uint64_t> count(std::string_view key) const;
  std::optional<double> number(std::string_view key, double min, double max) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<duration> span(std::string_view key) const;  // "90s", "1h30m"
  std::optional<double> rate(std::string_view key) const;    // per second: 5, "30/m", "2/h"
};

// A whole number >= 0 (parsed JSON holds those as unsigned, built JSON as signed).
bool is_count(const nlohmann::json& v);
// Reads a value of a count expectation: 5 or {"min": 1, "max": 9}.
count_range read_count_range(const nlohmann::json& v, const std::string& file,
                             const std::string& path);
// Reads "30/s", "30/m", "2/h", "100/d" or a plain number (per second); nullopt otherwise.
std::optional<double> parse_rate(const nlohmann::json& v);

}  // namespace outbound::scenarios::detail
