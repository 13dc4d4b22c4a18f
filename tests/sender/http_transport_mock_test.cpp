// The HTTP transport against the mock endpoint's real server over loopback, one fault at a time:
// each ends in the verdict class and text Salesforce's delivery status page shows for it, and
// keep-alive reuse is visible in the mock's connection counter.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // GCC 12 and Asio coroutine frames
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <boost/asio/io_context.hpp>

#include <optional>

#include "mock_endpoint/responder.hpp"
#include "mock_endpoint/server.hpp"
#include "sender/destination.hpp"
#include "sender/http_transport.hpp"
#include "sender/verdict.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"

namespace outbound::sender {
namespace {

using namespace std::chrono_literals;

std::string message_body(std::uint64_t n) {
  soap::message m;
  m.header = soap::make_header(soap::make_id("00D", 1), soap::make_id("04k", 1), "59.0");
  soap::notification x;
  x.id = soap::make_id("04l", n);
  x.object.type = "Account";
  x.object.id = soap::make_id("001", n);
  x.object.fields.push_back({"Name", "Acme " + std::to_string(n)});
  m.notifications.push_back(std::move(x));
  return soap::write_envelope(m);
}

class transport_vs_mock : public ::testing::Test {
 protected:
  // Starts the mock with `plan` (JSON fault list) and sends `count` messages one after another.
  std::vector<attempt_result> run(const std::string& plan, int count = 1, duration timeout = 5s) {
    mock_endpoint::fault_plan p =
        mock_endpoint::fault_plan_from_json(nlohmann::json::parse(plan), "test plan");
    ep_.emplace(std::move(p), 1, mock_endpoint::responder_options{}, clock_.now());
    server_.emplace(io_, *ep_, clock_, mock_endpoint::server_options{});
    server_->start();
    http_transport t(io_);
    auto to = parse_destination(server_->url() + "/ack");
    std::vector<attempt_result> results;
    for (int i = 0; i < count; ++i) {
      t.send(to, message_body(i + 1), timeout,
             [&](attempt_result r) { results.push_back(std::move(r)); });
      for (int k = 0; k < 2000 && results.size() < std::size_t(i + 1); ++k) io_.run_one_for(10ms);
    }
    EXPECT_EQ(results.size(), std::size_t(count));
    server_->stop();
    io_.run_for(50ms);
    return results;
  }
  verdict one(const std::string& plan, duration timeout = 5s) {
    auto r = run(plan, 1, timeout);
    return r.empty() ? verdict{} : judge(r[0]);
  }

  boost::asio::io_context io_;
  system_clock clock_;
  std::optional<mock_endpoint::responder> ep_;
  std::optional<mock_endpoint::server> server_;
};

TEST_F(transport_vs_mock, ack_is_delivered_and_connections_are_reused) {
  auto results = run("[]", 5);
  for (auto& r : results) EXPECT_TRUE(judge(r).delivered) << r.detail << r.response.body;
  EXPECT_EQ(ep_->counters().connections, 1u);
  EXPECT_EQ(ep_->ledger().unique_notifications(), 5u);
}

TEST_F(transport_vs_mock, refuse) {
  verdict v = one(R"([{"kind": "refuse"}])");
  EXPECT_EQ(v.failure_class, "refused") << v.reason;
  EXPECT_EQ(v.reason, "java.net.ConnectException: Connection refused (Connection refused)");
}

TEST_F(transport_vs_mock, reset_after_read) {
  verdict v = one(R"([{"kind": "reset_after_read"}])");
  EXPECT_EQ(v.reason, "java.net.SocketException: Connection reset");
}

TEST_F(transport_vs_mock, stall_is_a_read_timeout) {
  verdict v = one(R"([{"kind": "stall", "hold": "10s"}])", 150ms);
  EXPECT_EQ(v.reason, "java.net.SocketTimeoutException: Read timed out");
}

TEST_F(transport_vs_mock, truncated_body_is_unexpected_end_of_file) {
  verdict v = one(R"([{"kind": "truncated_body", "bytes": 20}])");
  EXPECT_EQ(v.reason, "java.net.SocketException: Unexpected end of file from server");
}

TEST_F(transport_vs_mock, http_503) {
  verdict v = one(R"([{"kind": "http_status", "status": 503}])");
  EXPECT_EQ(v.failure_class, "http_status");
  EXPECT_EQ(v.reason, "(503)Service Unavailable");
}

TEST_F(transport_vs_mock, nack) {
  verdict v = one(R"([{"kind": "nack"}])");
  EXPECT_EQ(v.reason, "SOAP response was a nack");
}

TEST_F(transport_vs_mock, soap_fault_carries_its_faultstring) {
  verdict v = one(R"([{"kind": "soap_fault", "faultstring": "SAP system locked"}])");
  EXPECT_EQ(v.failure_class, "soap_fault");
  EXPECT_NE(v.reason.find("SAP system locked"), std::string::npos) << v.reason;
}

TEST_F(transport_vs_mock, html_error_page_is_a_sax_parse_error) {
  verdict v = one(R"([{"kind": "html_error_page", "status": 200}])");
  EXPECT_FALSE(v.delivered);
  EXPECT_NE(v.reason.find("org.xml.sax.SAXParseException"), std::string::npos) << v.reason;
}

}  // namespace
}  // namespace outbound::sender
