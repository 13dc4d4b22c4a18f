#include "mock_endpoint/admin.hpp"

#include <nlohmann/json.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

#include "common/input_error.hpp"
#include "common/json_text.hpp"

namespace outbound::mock_endpoint {
namespace {

using nlohmann::json;

http_reply json_reply(int status, const json& j) {
  return {status, "", "application/json", {}, dump_json(j, 2) + "\n"};
}

http_reply error_reply(int status, const std::string& message) {
  return json_reply(status, json{{"error", message}});
}

http_reply requests_reply(const responder& ep, boost::urls::params_view query) {
  std::size_t limit = 100;
  if (const auto it = query.find("limit"); it != query.end()) {
    const std::string v = (*it).value;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (ec != std::errc() || p != v.data() + v.size())
      return error_reply(400, "limit: expected a non-negative integer");
  }
  json list = json::array();
  const auto& recent = ep.recent();
  const std::size_t n = std::min(limit, recent.size());
  for (std::size_t i = recent.size() - n; i < recent.size(); ++i) {
    const auto& r = recent[i];
    list.push_back({{"at", format_timestamp(r.at)},
                    {"method", r.method},
                    {"target", r.target},
                    {"bytes", r.bytes},
                    {"notifications", r.notifications},
                    {"status", r.status},
                    {"outcome", r.outcome},
                    {"detail", r.detail}});
  }
  return json_reply(200, json{{"requests", list}});
}

http_reply replace_faults(responder& ep, std::string_view body, time_point now) {
  try {
    const json j = parse_json(body, "request body");
    auto plan =
        read_json_guarded("request body", [&] { return fault_plan_from_json(j, "request body"); });
    refuse_tls_faults_without_tls(plan, ep.options().tls, "request body");
    ep.replace_plan(std::move(plan), now);
  } catch (const input_error& e) {
    return error_reply(400, e.what());
  }
  return json_reply(200, json{{"faults", ep.plan().faults.size()}});
}

json outage_json(const responder& ep, time_point now) {
  const auto& o = ep.last_outage();
  json j{{"active", ep.outage_open(now)}};
  if (!o) return j;
  j["fault"] = to_json(o->what);
  j["fault"].erase("for");
  j["since"] = format_timestamp(o->since);
  j["until"] = o->until() ? json(format_timestamp(*o->until())) : json();
  return j;
}

http_reply start_outage(responder& ep, std::string_view body, time_point now) {
  try {
    const json j = parse_json(body, "request body");
    fault f = read_json_guarded("request body", [&] { return fault_from_json(j, "request body"); });
    if (f.after != duration{})
      throw input_error("request body", "/after", "no \"after\": an outage starts now");
    const bool tls_kind = f.kind == fault_kind::tls_untrusted ||
                          f.kind == fault_kind::tls_hostname || f.kind == fault_kind::tls_expired;
    if (tls_kind && !ep.options().tls)
      throw input_error("request body", "/kind",
                        "a kind that applies over HTTP (" + std::string(to_string(f.kind)) +
                            " needs the mock to serve HTTPS)");
    ep.start_outage(std::move(f), now);
  } catch (const input_error& e) {
    return error_reply(400, e.what());
  }
  return json_reply(200, outage_json(ep, now));
}

// GET ledger/notifications/ID and ledger/records/ID: what the ledger knows of one id, so that a
// test or a person can ask "did this one arrive, how often, and what was answered?".
std::optional<http_reply> lookup_reply(const responder& ep, std::string_view what) {
  constexpr std::string_view notifications = "ledger/notifications/";
  constexpr std::string_view records = "ledger/records/";
  const auto& l = ep.ledger();
  if (what.starts_with(notifications)) {
    const std::string id(what.substr(notifications.size()));
    const auto e = l.find(id);
    if (!e) return error_reply(404, "notification " + id + " has not arrived");
    return json_reply(200, json{{"id", id},
                                {"first_arrival", format_timestamp(e->first_arrival)},
                                {"times_seen", e->times_seen},
                                {"last_answer", std::string(e->last.name())},
                                {"acked", e->acked}});
  }
  if (what.starts_with(records)) {
    const std::string id(what.substr(records.size()));
    const auto e = l.find_record(id);
    if (!e) return error_reply(404, "record " + id + " has not arrived");
    return json_reply(
        200, json{{"id", id},
                  {"latest_modstamp",
                   e->latest_modstamp ? json(format_timestamp(*e->latest_modstamp)) : json()}});
  }
  return std::nullopt;
}

}  // namespace

bool is_admin_target(std::string_view target) {
  return target.rfind(admin_prefix, 0) == 0;
}

json ledger_json(const responder& ep) {
  const auto& l = ep.ledger();
  json faults = json::object();
  for (std::size_t i = 0; i < fault_kind_count; ++i) {
    if (ep.faults_injected()[i] != 0)
      faults[std::string(to_string(static_cast<fault_kind>(i)))] = ep.faults_injected()[i];
  }
  return {{"messages", l.messages()},
          {"notifications", l.notifications()},
          {"unique_notifications", l.unique_notifications()},
          {"duplicates", l.duplicates()},
          {"acked_notifications", l.acked_notifications()},
          {"stale", l.stale()},
          {"records", l.records()},
          {"requests", ep.counters().requests},
          {"connections", ep.counters().connections},
          {"rejected", ep.counters().rejected},
          {"faults_injected", faults},
          {"ledger_bytes", l.memory_bytes()}};
}

std::string prometheus_metrics(const responder& ep, time_point now) {
  std::string out;
  auto counter = [&](const char* name, const char* help, std::uint64_t value) {
    out += std::string("# HELP outbound_mock_") + name + " " + help + "\n";
    out += std::string("# TYPE outbound_mock_") + name + " counter\n";
    out += std::string("outbound_mock_") + name + " " + std::to_string(value) + "\n";
  };
  const auto& l = ep.ledger();
  counter("connections_total", "Connections accepted.", ep.counters().connections);
  counter("requests_total", "Requests read.", ep.counters().requests);
  counter("rejected_total", "Invalid SOAP requests answered with a fault.", ep.counters().rejected);
  counter("messages_total", "SOAP messages recorded in the ledger.", l.messages());
  counter("notifications_total", "Notifications received, duplicates included.", l.notifications());
  counter("unique_notifications_total", "Distinct notification ids received.",
          l.unique_notifications());
  counter("duplicates_total", "Notifications received again.", l.duplicates());
  counter("stale_total", "Notifications older than data already received.", l.stale());
  counter("acked_notifications_total", "Distinct notifications answered with an ack at least once.",
          l.acked_notifications());
  out += "# HELP outbound_mock_faults_injected_total Faults injected, by kind.\n";
  out += "# TYPE outbound_mock_faults_injected_total counter\n";
  for (std::size_t i = 0; i < fault_kind_count; ++i) {
    out += "outbound_mock_faults_injected_total{kind=\"" +
           std::string(to_string(static_cast<fault_kind>(i))) + "\"} " +
           std::to_string(ep.faults_injected()[i]) + "\n";
  }
  out += "# HELP outbound_mock_ledger_bytes Memory held by the ledger.\n";
  out += "# TYPE outbound_mock_ledger_bytes gauge\n";
  out += "outbound_mock_ledger_bytes " + std::to_string(l.memory_bytes()) + "\n";
  out +=
      "# HELP outbound_mock_outage_active Whether an outage started through the admin API is "
      "open (1) or not (0).\n";
  out += "# TYPE outbound_mock_outage_active gauge\n";
  out += std::string("outbound_mock_outage_active ") + (ep.outage_open(now) ? "1" : "0") + "\n";
  out += ep.responses().prometheus();
  return out;
}

http_reply handle_admin(responder& ep, const request_view& req, time_point now) {
  // The target through Boost.URL: percent-decoded path, query parameters by name.
  const auto target = boost::urls::parse_origin_form(req.target);
  if (!target)
    return error_reply(400, "the request target is not a path with an optional query (RFC 3986)");
  const std::string path = target->path();
  const std::string_view what =
      std::string_view(path).substr(std::min(path.size(), admin_prefix.size()));
  const std::string_view m = req.method;
  if (what == "health" && m == "GET") return json_reply(200, json{{"status", "ok"}});
  if (what == "ledger" && m == "GET") return json_reply(200, ledger_json(ep));
  if (m == "GET")
    if (auto r = lookup_reply(ep, what)) return *r;
  if (what == "ledger" && m == "DELETE") {
    ep.reset();
    return json_reply(200, ledger_json(ep));
  }
  if (what == "requests" && m == "GET") return requests_reply(ep, target->params());
  if (what == "faults" && m == "GET") return json_reply(200, to_json(ep.plan()));
  if (what == "faults" && (m == "POST" || m == "PUT")) return replace_faults(ep, req.body, now);
  if (what == "outage" && m == "GET") return json_reply(200, outage_json(ep, now));
  if (what == "outage" && (m == "POST" || m == "PUT")) return start_outage(ep, req.body, now);
  if (what == "outage" && m == "DELETE") {
    const bool ended = ep.end_outage(now);
    json j = outage_json(ep, now);
    j["ended"] = ended;
    return json_reply(200, j);
  }
  if (what == "metrics" && m == "GET")
    return {200, "", "text/plain; version=0.0.4; charset=utf-8", {}, prometheus_metrics(ep, now)};
  for (std::string_view known : {"health", "ledger", "requests", "faults", "outage", "metrics"}) {
    if (what == known) return error_reply(405, "method " + std::string(m) + " not allowed here");
  }
  return error_reply(404, "no admin resource " + path +
                              " (ledger, ledger/notifications/ID, ledger/records/ID, requests, "
                              "faults, outage, metrics, health)");
}

}  // namespace outbound::mock_endpoint
