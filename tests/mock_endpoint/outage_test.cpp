// Outages on demand (POST/GET/DELETE /__admin/outage), without sockets: an outage decides before
// the plan, is counted, closes the port for refuse, ends now, and shows in the metrics.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mock_endpoint/admin.hpp"
#include "mock_endpoint/request_log.hpp"
#include "soap/envelope.hpp"
#include "tests/mock_endpoint/helpers.hpp"

namespace outbound::mock_endpoint {
namespace {

using namespace testing;
using namespace std::chrono_literals;
using nlohmann::json;

http_reply admin(responder& ep, const std::string& method, const std::string& target,
                 time_point now, const std::string& body = {}) {
  request_view r;
  r.method = method;
  r.target = target;
  r.body = body;
  return handle_admin(ep, r, now);
}

outcome post(responder& ep, time_point now) {
  const std::string body = soap::write_envelope(account_message(2));
  request_view r;
  r.body = body;
  return ep.handle(r, now);
}

TEST(outage, refuse_closes_the_port_from_now_until_ended) {
  responder ep({}, 1, {}, t0());
  EXPECT_FALSE(ep.refusal_at(t0()).refusing);
  const http_reply started =
      admin(ep, "POST", "/__admin/outage", t0() + 1min, R"({"kind": "refuse"})");
  ASSERT_EQ(started.status, 200) << started.body;
  const json s = json::parse(started.body);
  EXPECT_EQ(s["active"], true);
  EXPECT_EQ(s["fault"]["kind"], "refuse");
  EXPECT_EQ(s["since"], format_timestamp(t0() + 1min));
  EXPECT_TRUE(s["until"].is_null());

  EXPECT_TRUE(ep.refusal_at(t0() + 2min).refusing);
  EXPECT_TRUE(ep.connection_window_open(t0() + 2min));
  ep.count_refusal(t0() + 2min);
  ep.count_refusal(t0() + 3min);  // once per window
  EXPECT_EQ(ep.faults_injected(fault_kind::refuse), 1u);
  EXPECT_EQ(ep.open_windows(t0() + 2min), std::vector<std::string>{"outage: refuse"});
  EXPECT_NE(prometheus_metrics(ep, t0() + 2min).find("outbound_mock_outage_active 1\n"),
            std::string::npos);

  const json ended = json::parse(admin(ep, "DELETE", "/__admin/outage", t0() + 5min).body);
  EXPECT_EQ(ended["ended"], true);
  EXPECT_EQ(ended["active"], false);
  EXPECT_EQ(ended["until"], format_timestamp(t0() + 5min));
  EXPECT_FALSE(ep.refusal_at(t0() + 5min).refusing);
  EXPECT_TRUE(ep.open_windows(t0() + 5min).empty());
  EXPECT_NE(prometheus_metrics(ep, t0() + 5min).find("outbound_mock_outage_active 0\n"),
            std::string::npos);
  // Ending again: nothing was open.
  EXPECT_EQ(json::parse(admin(ep, "DELETE", "/__admin/outage", t0() + 6min).body)["ended"], false);
}

TEST(outage, decides_before_the_plan_and_ends_by_itself_after_for) {
  fault_plan plan;
  plan.faults.emplace_back().kind = fault_kind::nack;
  responder ep(plan, 1, {}, t0());
  ASSERT_EQ(admin(ep, "POST", "/__admin/outage", t0(),
                  R"({"kind": "http_status", "status": 503, "for": "10s"})")
                .status,
            200);
  const json shown = json::parse(admin(ep, "GET", "/__admin/outage", t0() + 1s).body);
  EXPECT_EQ(shown["active"], true);
  EXPECT_EQ(shown["until"], format_timestamp(t0() + 10s));

  const outcome during = post(ep, t0() + 1s);
  EXPECT_EQ(during.response.status, 503);
  EXPECT_EQ(during.verdict, "faulted");
  EXPECT_EQ(during.notifications, 2u);
  EXPECT_EQ(ep.faults_injected(fault_kind::http_status), 1u);

  const outcome after = post(ep, t0() + 10s);  // the plan's nack again
  EXPECT_EQ(after.verdict, "nacked");
  EXPECT_EQ(json::parse(admin(ep, "GET", "/__admin/outage", t0() + 10s).body)["active"], false);
}

TEST(outage, a_bad_request_changes_nothing) {
  responder ep({}, 1, {}, t0());
  for (const std::string& body : {std::string("{"), std::string(R"({"kind": "frobnicate"})"),
                                  std::string(R"({"kind": "refuse", "after": "1m"})"),
                                  std::string(R"({"kind": "tls_expired"})"),
                                  std::string(R"({"kind": "refuse", "for": "0s"})")}) {
    const http_reply r = admin(ep, "POST", "/__admin/outage", t0(), body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_TRUE(json::parse(r.body).contains("error")) << r.body;
  }
  EXPECT_FALSE(ep.last_outage().has_value());
  const std::string tls =
      admin(ep, "POST", "/__admin/outage", t0(), R"({"kind": "tls_expired"})").body;
  EXPECT_NE(tls.find("HTTPS"), std::string::npos) << tls;
}

TEST(outage, a_tls_outage_applies_when_serving_https) {
  responder_options https;
  https.tls = true;
  responder ep({}, 1, https, t0());
  ASSERT_EQ(admin(ep, "POST", "/__admin/outage", t0(), R"({"kind": "tls_untrusted"})").status, 200);
  const connection_outcome c = ep.on_connection(t0() + 1s);
  EXPECT_EQ(c.action, connection_action::tls_failure);
  EXPECT_EQ(c.tls, tls_failure_kind::untrusted);
  EXPECT_EQ(ep.faults_injected(fault_kind::tls_untrusted), 1u);
}

TEST(outage, plan_windows_are_named_by_their_index) {
  fault_plan plan;
  fault& refuse = plan.faults.emplace_back();
  refuse.kind = fault_kind::refuse;
  refuse.after = 1min;
  refuse.for_ = 1min;
  plan.faults.emplace_back().kind = fault_kind::delay;
  responder ep(plan, 1, {}, t0());
  EXPECT_EQ(ep.open_windows(t0()), std::vector<std::string>{"faults[1]: delay"});
  EXPECT_EQ(ep.open_windows(t0() + 90s),
            (std::vector<std::string>{"faults[0]: refuse", "faults[1]: delay"}));
}

TEST(response_metrics, a_prometheus_histogram_with_cumulative_buckets) {
  response_metrics m;
  m.add(200, "acked", "", 2ms);
  m.add(503, "faulted", "http_status", 300ms);
  m.add(0, "faulted", "stall", 90s);
  const std::string text = m.prometheus();
  EXPECT_NE(text.find("# TYPE outbound_mock_response_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("outbound_mock_response_seconds_bucket{le=\"0.001\"} 0\n"),
            std::string::npos);
  EXPECT_NE(text.find("outbound_mock_response_seconds_bucket{le=\"0.0025\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("outbound_mock_response_seconds_bucket{le=\"0.5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("outbound_mock_response_seconds_bucket{le=\"60\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("outbound_mock_response_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("outbound_mock_response_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("outbound_mock_response_seconds_sum 90.302\n"), std::string::npos) << text;
  EXPECT_NE(text.find("outbound_mock_responses_by_status_total{status=\"none\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("outbound_mock_responses_by_status_total{status=\"503\"} 1\n"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          "outbound_mock_responses_by_outcome_total{outcome=\"faulted\",fault=\"stall\"} 1\n"),
      std::string::npos);
  EXPECT_NE(text.find("outbound_mock_responses_by_outcome_total{outcome=\"acked\",fault=\"\"} 1\n"),
            std::string::npos);
}

TEST(request_log, one_line_per_request_as_text_or_json) {
  request_log_entry e;
  e.at = t0();
  e.peer = "127.0.0.1:5000";
  e.method = "POST";
  e.target = "/ack";
  e.notifications = 3;
  e.status = 503;
  e.answer = "faulted";
  e.faults = {fault_kind::http_status, fault_kind::delay};
  e.took = 1500us;
  EXPECT_EQ(format_request_line(e, log_format::text),
            "2026-01-05T09:00:00.000Z 127.0.0.1:5000 POST /ack notifications=3 answer=faulted "
            "status=503 fault=http_status,delay 1.5ms");
  const json j = json::parse(format_request_line(e, log_format::json));
  EXPECT_EQ(j["peer"], "127.0.0.1:5000");
  EXPECT_EQ(j["notifications"], 3);
  EXPECT_EQ(j["status"], 503);
  EXPECT_EQ(j["faults"], json::array({"http_status", "delay"}));
  EXPECT_DOUBLE_EQ(j["duration_ms"].get<double>(), 1.5);
  EXPECT_EQ(format_window_line(t0(), true, "outage: refuse", log_format::text),
            "2026-01-05T09:00:00.000Z fault window opened: outage: refuse");
  EXPECT_EQ(json::parse(format_window_line(t0(), false, "x", log_format::json))["event"],
            "fault_window_closed");
}

}  // namespace
}  // namespace outbound::mock_endpoint
