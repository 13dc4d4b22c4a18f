#include "scenarios/json_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/input_error.hpp"
#include "common/rate.hpp"

namespace outbound::scenarios::detail {

using nlohmann::json;

bool is_count(const json& v) {
  return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
}

json_reader::json_reader(const json& value, const std::string& file_name, std::string pointer,
                         std::string_view what)
    : j(value), file(file_name), path(std::move(pointer)) {
  if (!j.is_object()) throw input_error(file, path.empty() ? "/" : path, std::string(what));
}

void json_reader::fail(std::string_view key, std::string expected) const {
  throw input_error(file, at(key), std::move(expected));
}

void json_reader::only(std::initializer_list<std::string_view> known) const {
  refuse_unknown_keys(j, known, file, path);
}

const json* json_reader::find(std::string_view key) const {
  auto it = j.find(std::string(key));
  return it == j.end() ? nullptr : &*it;
}

const json& json_reader::required(std::string_view key, std::string_view what) const {
  const json* v = find(key);
  if (!v) fail(key, "a required key: " + std::string(what));
  return *v;
}

std::optional<std::string> json_reader::string(std::string_view key, std::string_view what) const {
  const json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(key, std::string(what));
  return v->get<std::string>();
}

std::optional<std::uint64_t> json_reader::count(std::string_view key) const {
  const json* v = find(key);
  if (!v) return std::nullopt;
  if (!is_count(*v)) fail(key, "a whole number >= 0");
  return v->get<std::uint64_t>();
}

std::optional<double> json_reader::number(std::string_view key, double min, double max) const {
  const json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_number() || v->get<double>() < min || v->get<double>() > max)
    fail(key, "a number from " + json(min).dump() + " to " + json(max).dump());
  return v->get<double>();
}

std::optional<bool> json_reader::boolean(std::string_view key) const {
  const json* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) fail(key, "true or false");
  return v->get<bool>();
}

std::optional<duration> json_reader::span(std::string_view key) const {
  const json* v = find(key);
  if (!v) return std::nullopt;
  std::optional<duration> d;
  if (v->is_string()) d = parse_duration(v->get<std::string>());
  if (!d) fail(key, "a duration such as \"250ms\", \"90s\", \"15m\", \"3h\" or \"1h30m\"");
  return d;
}

std::optional<double> json_reader::rate(std::string_view key) const {
  const json* v = find(key);
  if (!v) return std::nullopt;
  auto r = parse_rate(*v);
  if (!r)
    fail(key,
         "a rate such as \"30/s\", \"30/m\", \"2/h\", \"100/d\" or a number per second, "
         "at most 10000000/s");
  return r;
}

std::optional<double> parse_rate(const json& v) {
  if (v.is_number()) return checked_rate(v.get<double>());
  if (!v.is_string()) return std::nullopt;
  const auto& text = v.get_ref<const std::string&>();
  // A unit is required in a string; a bare number is written as a JSON number.
  if (text.find('/') == std::string::npos) return std::nullopt;
  return outbound::parse_rate(text);
}

count_range read_count_range(const json& v, const std::string& file, const std::string& path) {
  constexpr std::string_view what = "a count such as 5 or a range such as {\"min\": 1, \"max\": 9}";
  if (is_count(v)) return count_range{v.get<std::uint64_t>(), v.get<std::uint64_t>()};
  if (!v.is_object()) throw input_error(file, path, std::string(what));
  json_reader r(v, file, path, what);
  r.only({"min", "max"});
  count_range out;
  if (auto min = r.count("min")) out.min = *min;
  if (auto max = r.count("max")) out.max = *max;
  if (!r.find("min") && !r.find("max")) throw input_error(file, path, std::string(what));
  if (out.min > out.max) r.fail("max", "a maximum >= the minimum");
  return out;
}

}  // namespace outbound::scenarios::detail
