#pragma once
// Typed access to a JSON document that names the file and JSON path of whatever is wrong, for the
// report readers: every failure is an input_error(file, "/metrics/counters/x", "what was wanted").
//   json_reader r{j, "report.json", ""};
//   auto name = r.at("name").string();  auto n = r.at("metrics").at("count").uint64();

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "common/clock.hpp"
#include "common/input_error.hpp"
#include "common/json_text.hpp"

namespace outbound::reports {

class json_reader {
 public:
  json_reader(const nlohmann::json& j, const std::string& file, std::string path)
      : j_(j), file_(file), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const { throw input_error(file_, path_, what); }
  const nlohmann::json& raw() const { return j_; }
  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }

  bool has(const std::string& key) const { return j_.is_object() && j_.contains(key); }
  // The member `key` of an object (fails when this is not an object or the key is missing).
  json_reader at(const std::string& key) const {
    if (!j_.is_object()) fail("an object");
    auto it = j_.find(key);
    const std::string at = path_ + "/" + json_pointer_token(key);
    if (it == j_.end()) json_reader(j_, file_, at).fail("a value (missing)");
    return json_reader(*it, file_, at);
  }
  json_reader at(std::size_t index) const {
    return json_reader(j_.at(index), file_, path_ + "/" + std::to_string(index));
  }
  std::size_t array_size() const {
    if (!j_.is_array()) fail("an array");
    return j_.size();
  }
  void object() const {
    if (!j_.is_object()) fail("an object");
  }
  // An object with none but these keys.
  void only(std::initializer_list<std::string_view> known) const {
    object();
    refuse_unknown_keys(j_, known, file_, path_);
  }
  std::string string() const {
    if (!j_.is_string()) fail("a string");
    return j_.get<std::string>();
  }
  bool boolean() const {
    if (!j_.is_boolean()) fail("true or false");
    return j_.get<bool>();
  }
  std::uint64_t uint64() const {
    if (j_.is_number_unsigned()) return j_.get<std::uint64_t>();
    if (j_.is_number_integer() && j_.get<std::int64_t>() >= 0) return j_.get<std::uint64_t>();
    fail("a non-negative integer");
  }
  std::int64_t int64() const {
    if (j_.is_number_integer() && !(j_.is_number_unsigned() && j_.get<std::uint64_t>() > INT64_MAX))
      return j_.get<std::int64_t>();
    fail("an integer");
  }
  // A finite number, integer or not.
  double number() const {
    if (j_.is_number()) return j_.get<double>();
    fail("a number");
  }
  time_point timestamp() const {
    if (j_.is_string())
      if (auto t = parse_timestamp(j_.get_ref<const std::string&>())) return *t;
    fail("an ISO 8601 UTC timestamp such as \"2026-01-05T09:00:00.000000Z\"");
  }

 private:
  const nlohmann::json& j_;
  const std::string& file_;
  std::string path_;
};

}  // namespace outbound::reports
