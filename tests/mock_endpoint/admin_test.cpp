// The admin API: every answer is JSON, whatever bytes earlier requests carried.
#include "mock_endpoint/admin.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "soap/envelope.hpp"
#include "tests/mock_endpoint/client.hpp"

namespace outbound::mock_endpoint {
namespace {

using namespace testing;
using nlohmann::json;

std::string byte(int b) {
  return std::string(1, static_cast<char>(b));
}

// A valid envelope whose organization id carries `b`, so the rejection detail quotes it.
std::string envelope_with(int b) {
  std::string xml = soap::write_envelope(account_message(1));
  const std::string org = account_message(1).header.organization_id;
  xml.replace(xml.find(org), org.size(), "00D" + byte(b) + "bad");
  return xml;
}

json admin_json(responder& ep, const std::string& method, const std::string& target,
                int expected_status = 200) {
  request_view r;
  r.method = method;
  r.target = target;
  const http_reply reply = handle_admin(ep, r, t0());
  EXPECT_EQ(reply.status, expected_status) << target;
  return json::parse(reply.body);  // throws, failing the test, unless it is JSON
}

// A lookup of an id with byte `b`: 404 when the target is a valid URL path (the id is unknown),
// 400 when the raw byte makes it none; a JSON error either way.
void expect_json_error(responder& ep, const std::string& target) {
  request_view r;
  r.method = "GET";
  r.target = target;
  const http_reply reply = handle_admin(ep, r, t0());
  EXPECT_TRUE(reply.status == 404 || reply.status == 400) << reply.status;
  EXPECT_TRUE(json::parse(reply.body).contains("error"));
}

TEST(admin, answers_json_after_requests_with_every_byte_value) {
  responder ep({}, 1, {}, t0());
  for (int b = 0; b < 256; ++b) {
    const std::string target = "/" + byte(b);
    const std::string bodies[] = {envelope_with(b), byte(b), "<a>" + byte(b) + "</a>"};
    for (const auto& body : bodies) {
      request_view r;
      r.target = target;
      r.content_type = "text/xml; charset=" + byte(b);
      r.body = body;
      (void)ep.handle(r, t0());
    }
    expect_json_error(ep, "/__admin/ledger/notifications/" + byte(b));
    expect_json_error(ep, "/__admin/ledger/records/" + byte(b));
    expect_json_error(ep, "/__admin/nothing" + byte(b));
  }
  const json requests = admin_json(ep, "GET", "/__admin/requests?limit=1000");
  EXPECT_EQ(requests["requests"].size(), 768u);
  EXPECT_EQ(requests["requests"][3 * 0xff]["target"], "/\xEF\xBF\xBD");  // U+FFFD
  EXPECT_EQ(admin_json(ep, "GET", "/__admin/ledger")["requests"], 768u);
}

// Targets are read by Boost.URL: percent-encoding is decoded in the path and the query, and a
// target that is not a path with a query is a 400 that says so.
TEST(admin, targets_are_urls) {
  responder ep({}, 1, {}, t0());
  for (int i = 0; i < 3; ++i) {
    request_view r;
    r.method = "POST";
    r.target = "/";
    r.body = "x";
    (void)ep.handle(r, t0());
  }
  EXPECT_EQ(admin_json(ep, "GET", "/__admin/requests?limit=%32")["requests"].size(), 2u);
  EXPECT_EQ(admin_json(ep, "GET", "/__admin/requests?other=1&limit=1")["requests"].size(), 1u);
  EXPECT_EQ(admin_json(ep, "GET", "/__admin/%68ealth")["status"], "ok");
  EXPECT_NE(
      admin_json(ep, "GET", "/__admin/requests?limit=x", 400)["error"].get<std::string>().find(
          "limit"),
      std::string::npos);
  EXPECT_NE(admin_json(ep, "GET", "/__admin/ledger/notifications/a b", 400)["error"]
                .get<std::string>()
                .find("request target"),
            std::string::npos);
}

TEST(admin, a_fault_plan_with_a_huge_number_is_a_400_not_an_empty_reply) {
  responder ep({}, 1, {}, t0());
  for (const std::string body : {"{\"faults\": [{\"kind\": \"refuse\", \"first\": 1e999}]}",
                                 "{\"faults\": [{\"kind\": \"garbage\", \"bytes\": 3000000000}]}",
                                 "{\"faults\": [\"\xFF\"]}", "\xFF"}) {
    request_view r;
    r.method = "POST";
    r.target = "/__admin/faults";
    r.body = body;
    const http_reply reply = handle_admin(ep, r, t0());
    EXPECT_EQ(reply.status, 400) << body;
    EXPECT_TRUE(json::parse(reply.body).contains("error")) << reply.body;
  }
}

// The same over loopback, through the server's HTTP parser: targets, a header and bodies with
// each byte value, then the admin answers must still be JSON.
TEST(admin, server_answers_json_after_any_byte_on_the_wire) {
  running_server s;
  for (int b = 0; b < 256; ++b) {
    (void)exchange(s.port(), {"GET /x" + byte(b) + " HTTP/1.1\r\nHost: x\r\n\r\n"});
    (void)exchange(
        s.port(), {post_request(envelope_with(b), "/" + byte(b), "X-Byte: a" + byte(b) + "b\r\n")});
    (void)exchange(
        s.port(), {post_request(byte(b)), get_request("/__admin/ledger/notifications/" + byte(b))});
  }
  for (const std::string target : {"/__admin/requests?limit=1000", "/__admin/ledger"}) {
    const auto r = exchange_one(s.port(), get_request(target));
    ASSERT_EQ(r.status, 200) << target << " " << r.stage << " " << r.ec.message();
    const json j = json::parse(r.body);
    EXPECT_TRUE(j.is_object()) << target;
  }
  const auto r = exchange_one(s.port(), get_request("/__admin/requests?limit=1000"));
  EXPECT_GT(json::parse(r.body)["requests"].size(), 256u);
}

}  // namespace
}  // namespace outbound::mock_endpoint
