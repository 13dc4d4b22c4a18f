// The server around the sessions: admin API, tokens, TLS and its faults, IPv6, stop().
#include "mock_endpoint/server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "net/test_certificates.hpp"
#include "soap/ack.hpp"
#include "tests/mock_endpoint/client.hpp"

namespace outbound::mock_endpoint {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using nlohmann::json;

std::string envelope(std::uint64_t first = 1) {
  return soap::write_envelope(account_message(1, first));
}

client_result admin(running_server& s, const std::string& method, const std::string& target,
                    const std::string& body = "", const std::string& headers = "") {
  return exchange_one(s.port(), method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + headers +
                                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                    body);
}

TEST(server, admin_api_reports_and_controls_the_endpoint) {
  running_server s;
  EXPECT_EQ(admin(s, "GET", "/__admin/health").status, 200);
  (void)exchange(s.port(),
                 {post_request(envelope(1)), post_request(envelope(1)), post_request(envelope(2))});
  json ledger = json::parse(admin(s, "GET", "/__admin/ledger").body);
  EXPECT_EQ(ledger["messages"], 3);
  EXPECT_EQ(ledger["notifications"], 3);
  EXPECT_EQ(ledger["unique_notifications"], 2);
  EXPECT_EQ(ledger["duplicates"], 1);
  EXPECT_EQ(ledger["stale"], 0);
  EXPECT_TRUE(ledger["faults_injected"].is_object());

  const auto message = account_message(1, 2);
  const auto& sent = message.notifications[0];
  json one = json::parse(admin(s, "GET", "/__admin/ledger/notifications/" + sent.id).body);
  EXPECT_EQ(one["id"], sent.id);
  EXPECT_EQ(one["times_seen"], 1);
  EXPECT_EQ(one["last_answer"], "ack");
  EXPECT_EQ(one["acked"], true);
  EXPECT_EQ(one["first_arrival"], format_timestamp(t0()));
  const auto missing = admin(s, "GET", "/__admin/ledger/notifications/04l5g0000000099AAA");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("04l5g0000000099AAA has not arrived"), std::string::npos);
  json record = json::parse(admin(s, "GET", "/__admin/ledger/records/" + sent.object.id).body);
  EXPECT_EQ(record["id"], sent.object.id);
  EXPECT_EQ(admin(s, "GET", "/__admin/ledger/records/001x").status, 404);

  json requests = json::parse(admin(s, "GET", "/__admin/requests?limit=2").body);
  ASSERT_EQ(requests["requests"].size(), 2u);
  EXPECT_EQ(requests["requests"][1]["outcome"], "ack");
  EXPECT_EQ(admin(s, "GET", "/__admin/requests?limit=x").status, 400);

  auto r = admin(s, "POST", "/__admin/faults", R"({"faults": [{"kind": "nack"}]})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(soap::classify_response(200, "", "text/xml",
                                    exchange_one(s.port(), post_request(envelope())).body)
                .kind,
            soap::response_kind::nack);
  r = admin(s, "POST", "/__admin/faults", R"({"faults": [{"kind": "nack", "sometimes": 1}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("/faults/0/sometimes"), std::string::npos) << r.body;
  EXPECT_EQ(json::parse(admin(s, "GET", "/__admin/faults").body)["faults"][0]["kind"], "nack");

  const std::string metrics = admin(s, "GET", "/__admin/metrics").body;
  EXPECT_NE(metrics.find("outbound_mock_notifications_total 4"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("outbound_mock_faults_injected_total{kind=\"nack\"} 1"),
            std::string::npos);

  EXPECT_EQ(admin(s, "DELETE", "/__admin/ledger").status, 200);
  ledger = json::parse(admin(s, "GET", "/__admin/ledger").body);
  EXPECT_EQ(ledger["notifications"], 0);
  EXPECT_EQ(admin(s, "GET", "/__admin/nothing").status, 404);
  EXPECT_EQ(admin(s, "PATCH", "/__admin/ledger").status, 405);
}

TEST(server, admin_token_is_required_when_set) {
  server_options o;
  o.admin_token = "s3cret";
  running_server s({}, o);
  EXPECT_EQ(admin(s, "GET", "/__admin/ledger").status, 401);
  EXPECT_EQ(admin(s, "GET", "/__admin/ledger", "", "Authorization: Bearer wrong\r\n").status, 401);
  EXPECT_EQ(admin(s, "GET", "/__admin/ledger", "", "Authorization: Bearer s3cret\r\n").status, 200);
  EXPECT_EQ(exchange_one(s.port(), post_request(envelope())).status, 200);  // SOAP needs none
}

TEST(server, serves_the_wsdl_of_its_definition) {
  soap::definition d;
  d.full_name = "Notify_ERP";
  d.object = "Account";
  d.fields = {{"Name", soap::field_type::string}};
  d.organization_id = soap::make_id("00D", 1);
  d.action_id = soap::make_id("04k", 1);
  responder_options eo;
  eo.definition = d;
  running_server s({}, {}, eo);
  const auto r = exchange_one(s.port(), get_request("/?wsdl"));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("notificationsResponse"), std::string::npos);
}

TEST(server, listens_on_ipv6_loopback) {
  server_options o;
  o.host = "::1";
  std::unique_ptr<running_server> s;
  try {
    s = std::make_unique<running_server>(fault_plan{}, o);
  } catch (const std::system_error& e) {
    GTEST_SKIP() << "no IPv6 loopback: " << e.what();
  }
  EXPECT_EQ(s->srv.url(), "http://[::1]:" + std::to_string(s->port()));
  const auto r = exchange(s->port(), {post_request(envelope())}, 10s, {}, "::1");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 200);
}

TEST(server, stop_ends_stalled_connections) {
  auto s = std::make_unique<running_server>(
      fault_plan_from_json(json::parse(R"([{"kind": "stall", "after_read": true}])"), "t.json"));
  std::thread client(
      [port = s->port()] { (void)exchange_one(port, post_request(envelope()), 20s); });
  while (s->with_endpoint([](responder& ep) { return ep.counters().requests; }) == 0)
    std::this_thread::sleep_for(5ms);
  s.reset();  // stop() and join: must not wait for the 10-minute hold
  client.join();
  SUCCEED();
}

// HTTPS with certificates made for the test; the client trusts `ca` only.
class tls : public ::testing::Test {
 protected:
  void SetUp() override {
    now_ = time_point(
        std::chrono::duration_cast<duration>(std::chrono::system_clock::now().time_since_epoch()));
    ca_ = net::make_certificate_authority("test CA", now_ - 24h, now_ + 24h);
    leaf_ = net::issue_certificate(ca_, {"localhost", "127.0.0.1"}, now_ - 1h, now_ + 24h);
    client_ctx_.add_certificate_authority(asio::buffer(ca_.certificate));
    client_ctx_.set_verify_mode(asio::ssl::verify_peer);
  }
  std::unique_ptr<running_server> serve(const char* faults, bool client_ca = false) {
    server_options o;
    o.tls =
        tls_settings{leaf_.certificate, leaf_.private_key, client_ca ? ca_.certificate : "", ca_};
    responder_options eo;
    eo.tls = true;
    return std::make_unique<running_server>(fault_plan_from_json(json::parse(faults), "t.json"), o,
                                            eo, now_);
  }
  client_tls client() { return {&client_ctx_, "localhost"}; }

  time_point now_;
  net::pem_identity ca_, leaf_;
  asio::ssl::context client_ctx_{asio::ssl::context::tls_client};
};

TEST_F(tls, serves_https) {
  auto s = serve("[]");
  EXPECT_EQ(s->srv.url().rfind("https://127.0.0.1:", 0), 0u);
  const auto r = exchange_one(s->port(), post_request(envelope()), 10s, client());
  EXPECT_FALSE(r.ec) << r.stage << ": " << r.ec.message();
  EXPECT_EQ(r.status, 200);
}

TEST_F(tls, certificate_faults_fail_the_handshake_for_their_reason) {
  struct expectation {
    const char* plan;
    std::vector<long> verify;
  };
  for (const auto& e :
       {expectation{
            R"([{"kind": "tls_untrusted"}])",
            {X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY}},
        expectation{R"([{"kind": "tls_hostname"}])", {X509_V_ERR_HOSTNAME_MISMATCH}},
        expectation{R"([{"kind": "tls_expired"}])", {X509_V_ERR_CERT_HAS_EXPIRED}}}) {
    SCOPED_TRACE(e.plan);
    auto s = serve(e.plan);
    const auto r = exchange_one(s->port(), post_request(envelope()), 10s, client());
    EXPECT_EQ(r.stage, "handshake");
    EXPECT_TRUE(std::find(e.verify.begin(), e.verify.end(), r.verify_result) != e.verify.end())
        << X509_verify_cert_error_string(r.verify_result);
  }
}

TEST_F(tls, can_demand_a_client_certificate) {
  auto s = serve("[]", true);
  auto r = exchange_one(s->port(), post_request(envelope()), 10s, client());
  EXPECT_TRUE(r.ec) << "a client without a certificate got " << r.status;

  const auto mine = net::issue_certificate(ca_, {"client.example"}, now_ - 1h, now_ + 1h);
  client_ctx_.use_certificate_chain(asio::buffer(mine.certificate));
  client_ctx_.use_private_key(asio::buffer(mine.private_key), asio::ssl::context::pem);
  r = exchange_one(s->port(), post_request(envelope()), 10s, client());
  EXPECT_EQ(r.status, 200) << r.stage << ": " << r.ec.message();
}

}  // namespace
}  // namespace outbound::mock_endpoint
