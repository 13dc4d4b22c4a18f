#include "modes/load_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "common/input_error.hpp"
#include "common/input_file.hpp"
#include "common/json_text.hpp"
#include "common/rate.hpp"
#include "modes/builtin_definition.hpp"
#include "reports/json_reader.hpp"

namespace outbound::modes {
namespace {

using nlohmann::json;
using reports::json_reader;

constexpr std::size_t max_connections = 10000;

// "500/s", "30000/m", "2.5/s" or a number per second, >= 0.
double rate_of(const json_reader& r) {
  const auto& j = r.raw();
  std::optional<double> v;
  if (j.is_string()) v = outbound::parse_rate(j.get<std::string>());
  if (j.is_number()) v = checked_rate(j.get<double>());
  if (!v)
    r.fail("a rate such as \"500/s\", \"30000/m\" or a number per second, from 0 to 10000000/s");
  return *v;
}

duration positive_duration(const json_reader& r) {
  const auto& j = r.raw();
  const auto d = j.is_string() ? parse_duration(j.get<std::string>()) : std::nullopt;
  if (!d || d->count() <= 0) r.fail("a positive duration such as \"30s\", \"5m\" or \"1h30m\"");
  return *d;
}

std::size_t batch_size(const json_reader& r) {
  if (!r.raw().is_number_integer() || r.raw().get<std::int64_t>() < 1 ||
      r.raw().get<std::int64_t>() > 100)
    r.fail("a batch size from 1 to 100 notifications");
  return r.raw().get<std::size_t>();
}

double weight_of(const json_reader& r) {
  if (!r.raw().is_number() || !(r.raw().get<double>() > 0) || r.raw().get<double>() > 1e9)
    r.fail("a weight above 0 (relative to the others), such as 1 or 2.5");
  return r.raw().get<double>();
}

std::vector<load_stage> read_stages(const json_reader& r) {
  const std::size_t n = r.array_size();
  if (n == 0) r.fail("an array of at least one stage");
  std::vector<load_stage> out;
  double previous = 0;  // a first ramp without "from" starts from 0
  for (std::size_t i = 0; i < n; ++i) {
    const auto s = r.at(i);
    s.only({"duration", "rate", "from", "to"});
    load_stage stage;
    stage.length = positive_duration(s.at("duration"));
    if (s.has("rate")) {
      if (s.has("from") || s.has("to"))
        s.fail(
            "either \"rate\" (hold a rate) or \"to\" with an optional \"from\" (ramp), not both");
      stage.from = stage.to = rate_of(s.at("rate"));
    } else if (s.has("to")) {
      stage.from = s.has("from") ? rate_of(s.at("from")) : previous;
      stage.to = rate_of(s.at("to"));
    } else {
      s.fail(
          "\"rate\" (hold a rate: {\"duration\": \"1m\", \"rate\": \"500/s\"}) or \"to\" (ramp: "
          "{\"duration\": \"30s\", \"from\": \"0/s\", \"to\": \"500/s\"})");
    }
    previous = stage.to;
    out.push_back(stage);
  }
  if (arrival_plan(out).message_count() == 0)
    r.fail("stages that send at least one message (every rate is 0)");
  return out;
}

batch_sizes read_batch(const json_reader& r) {
  if (r.raw().is_number()) return batch_sizes::fixed(batch_size(r));
  if (!r.raw().is_object())
    r.fail(
        "a batch size from 1 to 100, {\"min\": 1, \"max\": 10} or {\"choices\": [{\"size\": 1, "
        "\"weight\": 9}, {\"size\": 100, \"weight\": 1}]}");
  if (r.has("choices")) {
    r.only({"choices"});
    const auto c = r.at("choices");
    const std::size_t n = c.array_size();
    if (n == 0) c.fail("an array of at least one {\"size\", \"weight\"}");
    batch_sizes b;
    for (std::size_t i = 0; i < n; ++i) {
      const auto choice = c.at(i);
      choice.only({"size", "weight"});
      b.choices.emplace_back(batch_size(choice.at("size")), weight_of(choice.at("weight")));
    }
    return b;
  }
  r.only({"min", "max"});
  const auto lo = batch_size(r.at("min")), hi = batch_size(r.at("max"));
  if (hi < lo) r.at("max").fail(fmt::format("a batch size of at least min ({})", lo));
  return batch_sizes::uniform(lo, hi);
}

std::vector<load_definition> read_definitions(const json_reader& r, const std::string& file) {
  const std::size_t n = r.array_size();
  if (n == 0) r.fail("an array of at least one definition");
  const auto folder = std::filesystem::path(file).parent_path();
  std::vector<load_definition> out;
  for (std::size_t i = 0; i < n; ++i) {
    const auto d = r.at(i);
    d.only({"definition", "message", "weight", "batch"});
    load_definition x;
    const std::string message = d.has("message") ? d.at("message").string() : "";
    if (d.has("definition")) {
      const auto path = folder / d.at("definition").string();
      x.definition = soap::load_definition(path, message);
      if (!message.empty() && x.definition.full_name != message)
        d.at("message").fail(fmt::format("the name of a message {} holds: it holds only \"{}\"",
                                         path.string(), x.definition.full_name));
    } else {
      if (!message.empty()) d.at("message").fail("no \"message\" without a \"definition\" file");
      x.definition = builtin_account_definition();
    }
    if (d.has("weight")) x.weight = weight_of(d.at("weight"));
    if (d.has("batch")) x.batch = read_batch(d.at("batch"));
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

load_profile load_profile_from_json(const json& j, const std::string& file) {
  const json_reader r(j, file, "");
  if (!j.is_object()) json_reader(j, file, "/").fail("a load profile: a JSON object");
  r.only({"$schema", "description", "endpoint", "stages", "definitions", "connections", "timeout",
          "seed", "thresholds"});
  load_profile p;
  p.file = file;
  if (r.has("description")) (void)r.at("description").string();
  if (r.has("endpoint")) p.endpoint = r.at("endpoint").string();
  if (r.has("stages")) p.stages = read_stages(r.at("stages"));
  if (r.has("definitions")) p.definitions = read_definitions(r.at("definitions"), file);
  if (r.has("connections")) {
    const auto c = r.at("connections");
    if (!c.raw().is_number_integer() || c.raw().get<std::int64_t>() < 1 ||
        c.raw().get<std::int64_t>() > static_cast<std::int64_t>(max_connections))
      c.fail("a number of connections from 1 to 10000");
    p.connections = c.raw().get<std::size_t>();
  }
  if (r.has("timeout")) p.timeout = positive_duration(r.at("timeout"));
  if (r.has("seed")) p.seed = r.at("seed").uint64();
  if (r.has("thresholds")) {
    const auto t = r.at("thresholds");
    for (std::size_t i = 0, n = t.array_size(); i < n; ++i)
      p.thresholds.push_back(reports::parse_threshold(t.at(i).string(), file, t.at(i).path()));
  }
  return p;
}

load_profile read_load_profile(const std::string& file) {
  const json j = parse_json(read_input_file(file, "a load profile (JSON)"), file);
  return read_json_guarded(file, [&] { return load_profile_from_json(j, file); });
}

}  // namespace outbound::modes
