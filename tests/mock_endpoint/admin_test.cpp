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

request_view get(const std::string& target, std::string_view method = "GET") {
  request_view r;
  r.method = method;
  r.target = target;
  return r;
}

request_view post(const std::string& body) {
  request_view r;
  r.body = body;
  return r;
}

http_reply admin_reply(responder& ep, const std::string& target) {
  request_view r;
  r.method = "GET";
  r.target = target;
  return handle_admin(ep, r, t0());
}

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> lines;
  for (std::size_t at = 0, eol; (eol = text.find('\n', at)) != std::string::npos; at = eol + 1)
    lines.push_back(json::parse(text.substr(at, eol - at)));
  return lines;
}

// Recent requests by number, and the bodies of the last few byte for byte, for a replay.
TEST(admin, a_recent_request_and_its_body_by_number) {
  responder_options options;
  options.kept_bodies = 2;
  responder ep({}, 1, options, t0());
  const std::string bodies[] = {"first", soap::write_envelope(account_message(2)), "\xFF\x00bytes"};
  for (const auto& body : bodies) {
    request_view r;
    r.target = "/ack";
    r.body = body;
    (void)ep.handle(r, t0());
  }
  const json second = admin_json(ep, "GET", "/__admin/requests/2");
  EXPECT_EQ(second["number"], 2);
  EXPECT_EQ(second["method"], "POST");
  EXPECT_EQ(second["notifications"], 2);
  EXPECT_EQ(second["body_kept"], true);
  const http_reply body = admin_reply(ep, "/__admin/requests/3/body");
  EXPECT_EQ(body.status, 200);
  EXPECT_EQ(body.content_type, "application/octet-stream");
  EXPECT_EQ(body.body, bodies[2]);  // not made valid UTF-8, not JSON-escaped
  EXPECT_EQ(admin_reply(ep, "/__admin/requests/2/body").body, bodies[1]);

  // Only the last two bodies are kept; the first request is still listed.
  EXPECT_EQ(admin_json(ep, "GET", "/__admin/requests/1")["body_kept"], false);
  const std::string gone =
      admin_json(ep, "GET", "/__admin/requests/1/body", 404)["error"].get<std::string>();
  EXPECT_NE(gone.find("kept: 2 to 3"), std::string::npos) << gone;
  EXPECT_EQ(admin_json(ep, "GET", "/__admin/requests")["requests"][0]["number"], 1);
  (void)admin_json(ep, "GET", "/__admin/requests/9", 404);
  for (const std::string bad : {"0", "x", "-1", "1.5", "99999999999999999999999"})
    EXPECT_NE(
        admin_json(ep, "GET", "/__admin/requests/" + bad, 400)["error"].get<std::string>().find(
            "request number"),
        std::string::npos)
        << bad;

  // A reset forgets them; numbers go on, never reused.
  ep.reset();
  (void)admin_json(ep, "GET", "/__admin/requests/3/body", 404);
  request_view r;
  r.body = "after";
  (void)ep.handle(r, t0());
  EXPECT_EQ(admin_reply(ep, "/__admin/requests/4/body").body, "after");
}

TEST(admin, a_record_shows_its_newest_values_and_whether_older_data_came_later) {
  responder_options options;
  options.ledger.keep_record_data = true;
  responder ep({}, 1, options, t0());
  soap::message m = account_message(1, 1, "2026-01-05T10:00:00Z");
  m.notifications[0].object.fields.push_back({"Phone", std::nullopt});
  (void)ep.handle(post(soap::write_envelope(m)), t0());
  const std::string id = m.notifications[0].object.id;
  json record = admin_json(ep, "GET", "/__admin/ledger/records/" + id);
  EXPECT_EQ(record["values"]["Name"], "Acme 1");
  EXPECT_TRUE(record["values"]["Phone"].is_null());
  EXPECT_EQ(record["stale"], false);
  EXPECT_EQ(record["latest_modstamp"], "2026-01-05T10:00:00.000Z");

  soap::message older = account_message(1, 1, "2026-01-05T09:00:00Z");
  older.notifications[0].object.fields[0].value = "Acme before";
  older.notifications[0].id = soap::make_id("04l", 7);
  (void)ep.handle(post(soap::write_envelope(older)), t0());
  record = admin_json(ep, "GET", "/__admin/ledger/records/" + id);
  EXPECT_EQ(record["values"]["Name"], "Acme 1");  // the newest, not the last to arrive
  EXPECT_EQ(record["stale"], true);
  EXPECT_EQ(record["stale_deliveries"], 1);

  // Without kept values the lookup still answers, values null.
  responder compact({}, 1, {}, t0());
  (void)compact.handle(post(soap::write_envelope(m)), t0());
  EXPECT_TRUE(admin_json(compact, "GET", "/__admin/ledger/records/" + id)["values"].is_null());
  EXPECT_EQ(admin_json(compact, "GET", "/__admin/ledger")["records_without_values"], 1);
}

TEST(admin, the_ledger_export_and_the_record_values_are_json_lines) {
  soap::definition d;
  d.full_name = "Notify_ERP";
  d.object = "Account";
  d.fields = {{"Name", soap::field_type::string}, {"SystemModstamp", soap::field_type::datetime}};
  responder_options options;
  options.definition = d;
  options.ledger.keep_record_data = true;
  options.ledger.keep_ids = true;
  responder ep({}, 1, options, t0());
  (void)ep.handle(post(soap::write_envelope(account_message(2, 1))), t0());
  (void)ep.handle(post(soap::write_envelope(account_message(1, 2))),
                  t0() + std::chrono::seconds(1));
  EXPECT_EQ(streamed_resource(get("/__admin/ledger/export")), admin_stream::ledger_export);
  const http_reply exported = admin_reply(ep, "/__admin/ledger/export");
  EXPECT_EQ(exported.status, 200);
  EXPECT_EQ(exported.content_type, "application/x-ndjson");
  const auto lines = json_lines(exported.body);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["id"], soap::make_id("04l", 2));
  EXPECT_EQ(lines[1]["record_id"], soap::make_id("001", 2));
  EXPECT_EQ(lines[1]["object"], "Account");
  EXPECT_EQ(lines[1]["definition"], "Notify_ERP");
  EXPECT_EQ(lines[1]["first_arrival"], format_timestamp(t0()));
  EXPECT_EQ(lines[1]["times_seen"], 2);
  EXPECT_EQ(lines[1]["duplicates"], 1);  // acked, then received again
  EXPECT_EQ(lines[0]["duplicates"], 0);
  EXPECT_EQ(lines[1]["acked"], true);
  EXPECT_EQ(lines[1]["last_answer"], "ack");
  // Pages: from, end and max cut the same lines.
  const listing_page page = listing(ep, admin_stream::ledger_export, 1, 2, 5);
  EXPECT_EQ(page.next, 2u);
  EXPECT_EQ(json_lines(page.text)[0], lines[1]);

  const auto records = json_lines(admin_reply(ep, "/__admin/ledger/records").body);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["id"], soap::make_id("001", 1));
  EXPECT_EQ(records[0]["values"]["Name"], "Acme 1");

  // A ledger that keeps no ids or values says so.
  responder compact({}, 1, {}, t0());
  EXPECT_NE(
      admin_json(compact, "GET", "/__admin/ledger/export", 409)["error"].get<std::string>().find(
          "no notification ids"),
      std::string::npos);
  (void)admin_json(compact, "GET", "/__admin/ledger/records", 409);
  (void)admin_json(compact, "POST", "/__admin/ledger/export", 405);
}

TEST(admin, events_resume_after_a_query_parameter_or_the_last_event_id) {
  EXPECT_EQ(*events_after("/__admin/events", ""), 0u);
  EXPECT_EQ(*events_after("/__admin/events?after=12", ""), 12u);
  EXPECT_EQ(*events_after("/__admin/events", "7"), 7u);
  EXPECT_EQ(*events_after("/__admin/events?after=3", "7"), 3u);  // the query wins
  const auto bad = events_after("/__admin/events?after=-1", "");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("after"), std::string::npos);
  const auto bad_header = events_after("/__admin/events", "x");
  ASSERT_FALSE(bad_header);
  EXPECT_NE(bad_header.error().find("Last-Event-ID"), std::string::npos);
  EXPECT_EQ(streamed_resource(get("/__admin/events?after=1")), admin_stream::events);
  EXPECT_EQ(streamed_resource(get("/__admin/events", "POST")), admin_stream::none);
  EXPECT_EQ(streamed_resource(get("/__admin/ledger")), admin_stream::none);
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
