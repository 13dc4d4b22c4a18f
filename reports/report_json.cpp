// report.json: writing and reading a run_report (schema in docs/report.md). Reading is strict
// about types and lenient about unknown keys, so a newer minor addition does not break old readers.
#include <fmt/format.h>

#include "common/input_file.hpp"
#include "common/json_text.hpp"
#include "reports/json_reader.hpp"
#include "reports/report.hpp"
#include "reports/threshold.hpp"

namespace outbound::reports {

using nlohmann::json;

std::string format_timestamp_us(time_point t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

namespace {

json counters_json(const counters& c) {
  json out = {{"still_queued", c.still_queued()}, {"failures_by_class", json(c.failures_by_class)}};
  for (const auto& field : counter_fields) out[std::string(field.name)] = c.*field.member;
  return out;
}

counters read_counters(const json_reader& r) {
  counters c;
  for (const auto& field : counter_fields) c.*field.member = r.at(std::string(field.name)).uint64();
  const auto by_class = r.at("failures_by_class");
  by_class.object();
  for (const auto& [k, v] : by_class.raw().items())
    c.failures_by_class[k] = by_class.at(k).uint64();
  return c;
}

std::vector<std::uint64_t> read_column(const json_reader& r, std::size_t n) {
  if (r.array_size() != n) r.fail(fmt::format("an array of {} integers (like \"sent\")", n));
  std::vector<std::uint64_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = r.at(i).uint64();
  return v;
}

json series_json(const time_series& s, bool started) {
  json failed = json::object();
  for (const auto& [cls, v] : s.failed) failed[cls] = v;
  return {{"interval_us", s.interval.count()},
          {"start", started ? json(format_timestamp_us(s.start)) : json(nullptr)},
          {"sent", s.sent},
          {"acked", s.acked},
          {"failed", std::move(failed)},
          {"queue_depth", s.queue_depth},
          {"queue_depth_max", s.queue_depth_max},
          {"in_flight", s.in_flight},
          {"retries_due", s.retries_due}};
}

time_series read_series(const json_reader& r) {
  time_series s;
  const auto interval = r.at("interval_us").int64();
  if (interval <= 0) r.at("interval_us").fail("a positive number of microseconds");
  s.interval = duration(interval);
  if (!r.at("start").raw().is_null()) s.start = r.at("start").timestamp();
  if ((s.start.time_since_epoch() % s.interval).count() != 0)
    r.at("start").fail("a multiple of interval_us since the Unix epoch");
  const auto n = r.at("sent").array_size();
  s.sent = read_column(r.at("sent"), n);
  s.acked = read_column(r.at("acked"), n);
  const auto failed = r.at("failed");
  failed.object();
  for (const auto& [k, v] : failed.raw().items()) s.failed[k] = read_column(failed.at(k), n);
  s.queue_depth = read_column(r.at("queue_depth"), n);
  s.queue_depth_max = read_column(r.at("queue_depth_max"), n);
  s.in_flight = read_column(r.at("in_flight"), n);
  s.retries_due = read_column(r.at("retries_due"), n);
  return s;
}

}  // namespace

json run_metrics::to_json() const {
  return {{"counters", counters_json(counters_)},
          {"histograms",
           {{"delivery_latency_us", latency_.to_json()},
            {"response_time_us", response_.to_json()},
            {"attempts", attempts_.to_json()},
            {"service_time_us", service_time_.to_json()}}},
          {"series", series_json(series_, started_)}};
}

run_metrics run_metrics::from_json(const json& j, const std::string& file,
                                   const std::string& path) {
  const json_reader r(j, file, path);
  run_metrics m;
  m.counters_ = read_counters(r.at("counters"));
  const auto h = r.at("histograms");
  auto hist = [&](const char* key) {
    return histogram::from_json(h.at(key).raw(), file, h.at(key).path());
  };
  m.latency_ = hist("delivery_latency_us");
  m.response_ = hist("response_time_us");
  m.attempts_ = hist("attempts");
  // Absent from reports written before load thresholds existed.
  if (h.has("service_time_us")) m.service_time_ = hist("service_time_us");
  m.series_ = read_series(r.at("series"));
  m.started_ = !r.at("series").at("start").raw().is_null();
  return m;
}

namespace {

json status_json(const delivery_status& s) {
  const auto& c = s.counts;
  json rows = json::array();
  for (const auto& row : s.rows) {
    rows.push_back({{"outbound_message", row.outbound_message},
                    {"object", row.object},
                    {"record_id", row.record_id},
                    {"notification_id", row.notification_id},
                    {"created", format_timestamp_us(row.created)},
                    {"attempts", row.attempts},
                    {"next_attempt", row.next_attempt ? json(format_timestamp_us(*row.next_attempt))
                                                      : json(nullptr)},
                    {"reason", row.reason},
                    {"state", row.state}});
  }
  return {{"counts",
           {{"queued", c.queued},
            {"in_flight", c.in_flight},
            {"retrying", c.retrying},
            {"delivered", c.delivered},
            {"failed", c.failed},
            {"dropped", c.dropped},
            {"deleted", c.deleted}}},
          {"rows", std::move(rows)}};
}

delivery_status read_status(const json_reader& r) {
  delivery_status s;
  const auto c = r.at("counts");
  auto& k = s.counts;
  k.queued = c.at("queued").uint64();
  k.in_flight = c.at("in_flight").uint64();
  k.retrying = c.at("retrying").uint64();
  k.delivered = c.at("delivered").uint64();
  k.failed = c.at("failed").uint64();
  k.dropped = c.at("dropped").uint64();
  k.deleted = c.at("deleted").uint64();
  const auto rows = r.at("rows");
  for (std::size_t i = 0, n = rows.array_size(); i < n; ++i) {
    const auto row = rows.at(i);
    status_row x;
    x.outbound_message = row.at("outbound_message").string();
    x.object = row.at("object").string();
    x.record_id = row.at("record_id").string();
    x.notification_id = row.at("notification_id").string();
    x.created = row.at("created").timestamp();
    const auto attempts = row.at("attempts").uint64();
    if (attempts > UINT32_MAX) row.at("attempts").fail("an attempt count below 2^32");
    x.attempts = static_cast<std::uint32_t>(attempts);
    if (!row.at("next_attempt").raw().is_null())
      x.next_attempt = row.at("next_attempt").timestamp();
    x.reason = row.at("reason").string();
    x.state = row.at("state").string();
    s.rows.push_back(std::move(x));
  }
  return s;
}

json ledger_json(const ledger_summary& l) {
  return {{"messages", l.messages},
          {"notifications", l.notifications},
          {"unique", l.unique},
          {"duplicates", l.duplicates},
          {"retries", l.retries},
          {"stale", l.stale},
          {"faults_injected", json(l.faults_injected)}};
}

ledger_summary read_ledger(const json_reader& r) {
  ledger_summary l;
  l.messages = r.at("messages").uint64();
  l.notifications = r.at("notifications").uint64();
  l.unique = r.at("unique").uint64();
  l.duplicates = r.at("duplicates").uint64();
  if (r.has("retries")) l.retries = r.at("retries").uint64();  // absent from older reports
  l.stale = r.at("stale").uint64();
  const auto f = r.at("faults_injected");
  f.object();
  for (const auto& [k, v] : f.raw().items()) l.faults_injected[k] = f.at(k).uint64();
  return l;
}

json thresholds_json(const std::vector<threshold_result>& thresholds) {
  json out = json::array();
  for (const auto& t : thresholds)
    out.push_back({{"threshold", t.threshold},
                   {"passed", t.passed},
                   {"measured", t.measured},
                   {"limit", t.limit},
                   {"measured_value", t.measured_value ? json(*t.measured_value) : json(nullptr)},
                   {"limit_value", t.limit_value}});
  return out;
}

std::vector<threshold_result> read_thresholds(const json_reader& r) {
  std::vector<threshold_result> out;
  for (std::size_t i = 0, n = r.array_size(); i < n; ++i) {
    const auto t = r.at(i);
    threshold_result x;
    x.threshold = t.at("threshold").string();
    // Checked now, so that a merge can evaluate it again.
    (void)parse_threshold(x.threshold, t.file(), t.at("threshold").path());
    x.passed = t.at("passed").boolean();
    x.measured = t.at("measured").string();
    x.limit = t.at("limit").string();
    if (!t.at("measured_value").raw().is_null()) x.measured_value = t.at("measured_value").number();
    x.limit_value = t.at("limit_value").number();
    out.push_back(std::move(x));
  }
  return out;
}

json shards_json(const std::vector<load_shard>& shards) {
  json out = json::array();
  for (const auto& s : shards)
    out.push_back(
        {{"index", s.index},
         {"count", s.count},
         {"host", s.host},
         {"rate_per_second", s.rate_per_second},
         {"duration_us", s.length.count()},
         {"seed", s.seed},
         {"start_at", s.start_at ? json(format_timestamp_us(*s.start_at)) : json(nullptr)},
         {"start", format_timestamp_us(s.start)},
         {"end", format_timestamp_us(s.end)},
         {"messages_scheduled", s.scheduled},
         {"messages_sent", s.sent},
         {"messages_answered", s.answered},
         {"parameters", s.parameters}});
  return out;
}

std::vector<load_shard> read_shards(const json_reader& r) {
  std::vector<load_shard> out;
  for (std::size_t i = 0, n = r.array_size(); i < n; ++i) {
    const auto s = r.at(i);
    load_shard x;
    x.count = s.at("count").uint64();
    if (x.count < 1) s.at("count").fail("a shard count of at least 1");
    x.index = s.at("index").uint64();
    if (x.index < 1 || x.index > x.count)
      s.at("index").fail(fmt::format("a shard index from 1 to count ({})", x.count));
    x.host = s.at("host").string();
    x.rate_per_second = s.at("rate_per_second").number();
    if (x.rate_per_second < 0) s.at("rate_per_second").fail("a rate of at least 0");
    x.length = duration(s.at("duration_us").int64());
    if (x.length.count() < 0) s.at("duration_us").fail("a duration of at least 0");
    x.seed = s.at("seed").uint64();
    if (!s.at("start_at").raw().is_null()) x.start_at = s.at("start_at").timestamp();
    x.start = s.at("start").timestamp();
    x.end = s.at("end").timestamp();
    x.scheduled = s.at("messages_scheduled").uint64();
    x.sent = s.at("messages_sent").uint64();
    x.answered = s.at("messages_answered").uint64();
    s.at("parameters").object();
    x.parameters = s.at("parameters").raw();
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

json to_json(const run_report& r) {
  json faults = json::array(), checks = json::array();
  for (const auto& f : r.faults)
    faults.push_back({{"label", f.label},
                      {"start", format_timestamp_us(f.start)},
                      {"end", format_timestamp_us(f.end)}});
  json markers = json::array();
  for (const auto& m : r.markers)
    markers.push_back({{"kind", m.kind}, {"label", m.label}, {"at", format_timestamp_us(m.at)}});
  json entries = json::array();
  for (const auto& e : r.fault_entries)
    entries.push_back({{"endpoint", e.endpoint},
                       {"index", e.index},
                       {"label", e.label},
                       {"fired", e.fired},
                       {"expect_fired", e.expect_fired}});
  for (const auto& c : r.checks) {
    json check = {{"name", c.name},
                  {"passed", c.passed},
                  {"measured", c.measured},
                  {"expected", c.expected},
                  {"message", c.message}};
    // `outbound check`'s: absent from other reports and from older check reports.
    if (!c.sent.empty()) check["sent"] = c.sent;
    if (!c.excerpt.empty()) check["excerpt"] = c.excerpt;
    checks.push_back(std::move(check));
  }
  json j = {{"format_version", r.format_version},
            {"kind", r.kind},
            {"name", r.name},
            {"parameters", r.parameters},
            {"started", format_timestamp_us(r.started)},
            {"finished", format_timestamp_us(r.finished)},
            {"simulated_start", format_timestamp_us(r.simulated_start)},
            {"simulated_end", format_timestamp_us(r.simulated_end)},
            {"clock", r.clock},
            {"seed", r.seed},
            {"drain_time_us", r.drain_time ? json(r.drain_time->count()) : json(nullptr)},
            {"passed", r.passed()},
            {"metrics", r.metrics.to_json()},
            {"faults", std::move(faults)},
            {"markers", std::move(markers)},
            {"fault_entries", std::move(entries)},
            {"warnings", r.warnings},
            {"checks", std::move(checks)},
            {"thresholds", thresholds_json(r.thresholds)},
            {"shards", shards_json(r.shards)},
            {"load", r.load ? r.load->to_json() : json(nullptr)},
            {"status", status_json(r.status)},
            {"ledger", r.ledger ? ledger_json(*r.ledger) : json(nullptr)}};
  return j;
}

run_report report_from_json(const json& j, const std::string& file) {
  const json_reader r(j, file, "");
  r.object();
  run_report out;
  const auto version = r.at("format_version").int64();
  if (version < 1 || version > report_format_version)
    r.at("format_version")
        .fail(fmt::format("a format version from 1 to {}", report_format_version));
  out.format_version = static_cast<int>(version);
  out.kind = r.at("kind").string();
  if (out.kind != "run" && out.kind != "load" && out.kind != "check")
    r.at("kind").fail("\"run\", \"load\" or \"check\"");
  out.name = r.at("name").string();
  r.at("parameters").object();
  out.parameters = j.at("parameters");
  out.started = r.at("started").timestamp();
  out.finished = r.at("finished").timestamp();
  out.simulated_start = r.at("simulated_start").timestamp();
  out.simulated_end = r.at("simulated_end").timestamp();
  out.clock = r.at("clock").string();
  if (out.clock != "real" && out.clock != "virtual") r.at("clock").fail("\"real\" or \"virtual\"");
  out.seed = r.at("seed").uint64();
  if (r.has("drain_time_us") && !j.at("drain_time_us").is_null())
    out.drain_time = duration(r.at("drain_time_us").int64());
  out.metrics = run_metrics::from_json(r.at("metrics").raw(), file, "/metrics");
  const auto faults = r.at("faults");
  for (std::size_t i = 0, n = faults.array_size(); i < n; ++i) {
    const auto f = faults.at(i);
    out.faults.push_back(
        {f.at("label").string(), f.at("start").timestamp(), f.at("end").timestamp()});
  }
  if (r.has("markers")) {  // absent from reports written before markers existed
    const auto markers = r.at("markers");
    for (std::size_t i = 0, n = markers.array_size(); i < n; ++i) {
      const auto m = markers.at(i);
      out.markers.push_back(
          {m.at("kind").string(), m.at("label").string(), m.at("at").timestamp()});
    }
  }
  if (r.has("fault_entries")) {  // absent from reports written before it existed
    const auto entries = r.at("fault_entries");
    for (std::size_t i = 0, n = entries.array_size(); i < n; ++i) {
      const auto e = entries.at(i);
      out.fault_entries.push_back({e.at("endpoint").string(), e.at("index").uint64(),
                                   e.at("label").string(), e.at("fired").uint64(),
                                   e.at("expect_fired").boolean()});
    }
  }
  if (r.has("warnings")) {
    const auto warnings = r.at("warnings");
    for (std::size_t i = 0, n = warnings.array_size(); i < n; ++i)
      out.warnings.push_back(warnings.at(i).string());
  }
  const auto checks = r.at("checks");
  for (std::size_t i = 0, n = checks.array_size(); i < n; ++i) {
    const auto c = checks.at(i);
    check_result x{c.at("name").string(), c.at("passed").boolean(), c.at("measured").string(),
                   c.at("expected").string(), c.at("message").string()};
    if (c.has("sent")) x.sent = c.at("sent").string();
    if (c.has("excerpt")) x.excerpt = c.at("excerpt").string();
    out.checks.push_back(std::move(x));
  }
  // Both absent from reports written before load thresholds and shards existed.
  if (r.has("thresholds")) out.thresholds = read_thresholds(r.at("thresholds"));
  if (r.has("shards")) out.shards = read_shards(r.at("shards"));
  if (r.has("load") && !j.at("load").is_null())  // absent before load series existed
    out.load = load_series::from_json(j.at("load"), file, "/load");
  out.status = read_status(r.at("status"));
  if (r.has("ledger") && !j.at("ledger").is_null()) out.ledger = read_ledger(r.at("ledger"));
  return out;
}

run_report read_report(const std::string& path) {
  const json j = parse_json(read_input_file(path, "a report.json file"), path);
  return read_json_guarded(path, [&] { return report_from_json(j, path); });
}

}  // namespace outbound::reports
