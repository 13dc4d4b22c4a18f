#include "mock_endpoint/admin.hpp"

#include <nlohmann/json.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

#include "common/input_error.hpp"
#include "common/json_text.hpp"
#include "soap/definition.hpp"

namespace outbound::mock_endpoint {
namespace {

using nlohmann::json;

http_reply json_reply(int status, const json& j) {
  return {status, "", "application/json", {}, dump_json(j, 2) + "\n"};
}

http_reply error_reply(int status, const std::string& message) {
  return json_reply(status, json{{"error", message}});
}

// A whole decimal number, nothing else ("12", not "+12", "1e3" or "12 ").
std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return n;
}

json summary_json(const request_summary& r, bool body_kept) {
  return {{"number", r.number}, {"at", format_timestamp(r.at)},
          {"method", r.method}, {"target", r.target},
          {"bytes", r.bytes},   {"notifications", r.notifications},
          {"status", r.status}, {"outcome", r.outcome},
          {"detail", r.detail}, {"body_kept", body_kept}};
}

// {"Name": "Acme", "Phone": null}: a record's field values as the sender's store writes them.
json values_json(const std::vector<soap::field_value>& fields) {
  json values = json::object();
  for (const auto& f : fields) values[f.name] = f.value ? json(*f.value) : json();
  return values;
}

json record_json(const responder& ep, std::string_view id, const record_entry& e) {
  const auto* values = ep.ledger().record_data(id);
  return {
      {"id", id},
      {"latest_modstamp", e.latest_modstamp ? json(format_timestamp(*e.latest_modstamp)) : json()},
      {"values", values ? values_json(*values) : json()},
      {"stale", e.stale > 0},
      {"stale_deliveries", e.stale}};
}

// One line of the ledger export.
json export_json(const responder& ep, const notification_ids& ids) {
  const auto e = ep.ledger().find(ids.id());
  const auto& definition = ep.options().definition;
  json j{{"id", ids.id()},
         {"record_id", ids.record_id()},
         {"object", ids.object()},
         {"definition",
          definition && definition->object == ids.object() ? json(definition->full_name) : json()}};
  if (e) {
    j["first_arrival"] = format_timestamp(e->first_arrival);
    j["times_seen"] = e->times_seen;
    j["duplicates"] = e->duplicates;
    j["acked"] = e->acked;
    j["last_answer"] = std::string(e->last.name());
  }
  return j;
}

// GET requests/N and requests/N/body: one recent request, and its bytes as received.
std::optional<http_reply> request_reply(const responder& ep, std::string_view what) {
  constexpr std::string_view prefix = "requests/";
  if (!what.starts_with(prefix)) return std::nullopt;
  std::string_view rest = what.substr(prefix.size());
  const bool body = rest.ends_with("/body");
  if (body) rest.remove_suffix(5);
  const auto number = whole_number(rest);
  if (!number || *number == 0)
    return error_reply(400, "requests/N: N is a request number (1 for the first), got \"" +
                                shorten_value(rest) + "\"");
  const auto [oldest, newest] = ep.kept_body_range();
  const std::string kept =
      newest == 0 ? "none is kept"
                  : "kept: " + std::to_string(oldest) + " to " + std::to_string(newest);
  const std::string* bytes = ep.kept_body(*number);
  if (body) {
    if (!bytes)
      return error_reply(
          404, "the body of request " + std::to_string(*number) + " is not kept (" + kept + ")");
    return http_reply{200, "", "application/octet-stream", {}, *bytes};
  }
  const request_summary* r = ep.recent_request(*number);
  if (!r)
    return error_reply(404,
                       "request " + std::to_string(*number) + " is not among the recent requests");
  return json_reply(200, summary_json(*r, bytes != nullptr));
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
  for (std::size_t i = recent.size() - n; i < recent.size(); ++i)
    list.push_back(summary_json(recent[i], ep.kept_body(recent[i].number) != nullptr));
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
                                {"duplicates", e->duplicates},
                                {"last_answer", std::string(e->last.name())},
                                {"acked", e->acked}});
  }
  if (what.starts_with(records)) {
    const std::string id(what.substr(records.size()));
    const auto e = l.find_record(id);
    if (!e) return error_reply(404, "record " + id + " has not arrived");
    return json_reply(200, record_json(ep, id, *e));
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
          {"retries", l.retries()},
          {"acked_notifications", l.acked_notifications()},
          {"stale", l.stale()},
          {"records", l.records()},
          {"records_without_values", l.records_without_data()},
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
  counter("notifications_total", "Notifications received, repeats included.", l.notifications());
  counter("unique_notifications_total", "Distinct notification ids received.",
          l.unique_notifications());
  counter("duplicates_total", "Notifications received again after they had been acked.",
          l.duplicates());
  counter("retries_total", "Notifications received again before they had been acked.", l.retries());
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
  if (m == "GET")
    if (auto r = request_reply(ep, what)) return *r;
  // The server streams these; called directly (tests, no socket) the listings come whole.
  if (const admin_stream which = streamed_resource(req); which != admin_stream::none) {
    if (which == admin_stream::events)
      return error_reply(400, "events is a stream: ask the mock's server for it");
    if (auto why = listing_unavailable(ep, which)) return error_reply(409, *why);
    const std::size_t size = listing_size(ep, which);
    return {200, "", "application/x-ndjson", {}, listing(ep, which, 0, size, size).text};
  }
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
  for (std::string_view known : {"health", "ledger", "requests", "faults", "outage", "metrics",
                                 "events", "ledger/export", "ledger/records"}) {
    if (what == known) return error_reply(405, "method " + std::string(m) + " not allowed here");
  }
  return error_reply(404, "no admin resource " + path +
                              " (ledger, ledger/notifications/ID, ledger/records, "
                              "ledger/records/ID, ledger/export, requests, requests/N, "
                              "requests/N/body, events, faults, outage, metrics, health)");
}

admin_stream streamed_resource(const request_view& req) {
  if (req.method != "GET") return admin_stream::none;
  const auto target = boost::urls::parse_origin_form(req.target);
  if (!target) return admin_stream::none;
  const std::string path = target->path();
  if (!path.starts_with(admin_prefix)) return admin_stream::none;
  const std::string_view what = std::string_view(path).substr(admin_prefix.size());
  if (what == "events") return admin_stream::events;
  if (what == "ledger/export") return admin_stream::ledger_export;
  if (what == "ledger/records") return admin_stream::record_values;
  return admin_stream::none;
}

expected<std::uint64_t> events_after(std::string_view target, std::string_view last_event_id) {
  const auto url = boost::urls::parse_origin_form(target);
  if (url) {
    const auto params = url->params();
    if (const auto it = params.find("after"); it != params.end()) {
      const std::string v = (*it).value;
      if (const auto n = whole_number(v)) return *n;
      return expected<std::uint64_t>::failure(
          "after: expected the id of an event (0 for the oldest kept), got \"" + shorten_value(v) +
          "\"");
    }
  }
  if (last_event_id.empty()) return std::uint64_t{0};
  if (const auto n = whole_number(last_event_id)) return *n;
  return expected<std::uint64_t>::failure("Last-Event-ID: expected the id of an event, got \"" +
                                          shorten_value(last_event_id) + "\"");
}

std::string admin_error_body(const std::string& message) {
  return dump_json(json{{"error", message}}, 2) + "\n";
}

std::optional<std::string> listing_unavailable(const responder& ep, admin_stream which) {
  if (which == admin_stream::ledger_export && !ep.ledger().keeps_ids())
    return "this ledger keeps no notification ids to export (ledger_options.keep_ids)";
  if (which == admin_stream::record_values && !ep.ledger().keeps_record_data())
    return "this ledger keeps no record values (outbound mock --keep-values 0)";
  return std::nullopt;
}

std::size_t listing_size(const responder& ep, admin_stream which) {
  return which == admin_stream::ledger_export ? ep.ledger().kept_ids() : ep.ledger().kept_records();
}

listing_page listing(const responder& ep, admin_stream which, std::size_t from, std::size_t end,
                     std::size_t max) {
  listing_page page;
  const auto& l = ep.ledger();
  end = std::min(end, listing_size(ep, which));
  std::size_t i = from;
  for (; i < end && i - from < max; ++i) {
    if (which == admin_stream::ledger_export) {
      page.text += dump_json(export_json(ep, l.ids_at(i)));
    } else {
      const record_values r = l.kept_record_at(i);
      page.text += dump_json(record_json(ep, r.id, l.find_record(r.id).value_or(record_entry{})));
    }
    page.text += '\n';
  }
  page.next = i;
  return page;
}

}  // namespace outbound::mock_endpoint
