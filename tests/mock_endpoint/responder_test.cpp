#include "mock_endpoint/responder.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "soap/ack.hpp"
#include "soap/definition.hpp"
#include "tests/mock_endpoint/helpers.hpp"

namespace outbound::mock_endpoint {
namespace {

using namespace std::chrono_literals;
using testing::account_message;
using testing::t0;

fault_plan plan(const char* json_text) {
  return fault_plan_from_json(nlohmann::json::parse(json_text), "test.json");
}

std::string body(std::size_t n = 1, std::uint64_t first = 1) {
  return soap::write_envelope(account_message(n, first));
}

outcome request(responder& ep, std::string_view method, std::string_view target,
                std::string_view b = {}, time_point now = t0()) {
  request_view r;
  r.method = method;
  r.target = target;
  r.body = b;
  return ep.handle(r, now);
}

outcome post(responder& ep, const std::string& b, time_point now = t0()) {
  return request(ep, "POST", "/", b, now);
}

soap::response_kind kind_of(const outcome& o) {
  return soap::classify_response(o.response.status, o.response.reason, o.response.content_type,
                                 o.response.body)
      .kind;
}

// SOAP 1.1 forbids a DTD in a message: such a request gets a Client fault, not an Ack.
TEST(responder, refuses_a_message_with_a_doctype) {
  responder ep({}, 1, {}, t0());
  std::string b = body(1);
  const auto declaration_end = b.find("?>");
  b.insert(declaration_end == std::string::npos ? 0 : declaration_end + 2,
           "\n<!DOCTYPE e [<!ENTITY x 'y'>]>");
  const outcome o = post(ep, b);
  EXPECT_EQ(o.response.status, 500);
  EXPECT_NE(o.response.body.find("soapenv:Client"), std::string::npos) << o.response.body;
  EXPECT_NE(o.response.body.find("DOCTYPE"), std::string::npos) << o.response.body;
  EXPECT_EQ(ep.ledger().messages(), 0u);
}

TEST(responder, acks_a_valid_message_and_records_it) {
  responder ep({}, 1, {}, t0());
  const outcome o = post(ep, body(3));
  EXPECT_EQ(o.action, response_action::respond);
  EXPECT_EQ(o.response.status, 200);
  EXPECT_EQ(o.response.content_type, "text/xml; charset=utf-8");
  EXPECT_EQ(kind_of(o), soap::response_kind::ack);
  EXPECT_TRUE(o.faults.empty());
  EXPECT_EQ(ep.ledger().messages(), 1u);
  EXPECT_EQ(ep.ledger().acked_notifications(), 3u);
  ASSERT_EQ(ep.recent().size(), 1u);
  EXPECT_EQ(ep.recent().back().outcome, "ack");
  EXPECT_EQ(ep.recent().back().notifications, 3u);
}

TEST(responder, acks_the_salesforce_sample_with_fifteen_character_ids) {
  std::ifstream in(OUTBOUND_SOURCE_DIR "/tests/soap/data/reference_sample_opportunity_request.xml");
  ASSERT_TRUE(in) << "tests/soap/data/reference_sample_opportunity_request.xml is missing";
  std::stringstream s;
  s << in.rdbuf();
  responder ep({}, 1, {}, t0());
  EXPECT_EQ(kind_of(post(ep, s.str())), soap::response_kind::ack);
  EXPECT_EQ(ep.ledger().notifications(), 1u);
}

TEST(responder, answers_garbage_with_a_soap_fault_naming_the_problem) {
  responder ep({}, 1, {}, t0());
  const outcome o = post(ep, "this is not xml");
  EXPECT_EQ(o.response.status, 500);
  const auto v = soap::classify_response(500, "", o.response.content_type, o.response.body);
  EXPECT_EQ(v.kind, soap::response_kind::soap_fault);
  EXPECT_NE(v.reason.find("not XML"), std::string::npos) << v.reason;
  EXPECT_EQ(ep.counters().rejected, 1u);
  EXPECT_EQ(ep.ledger().messages(), 0u);
  EXPECT_EQ(ep.recent().back().outcome, "rejected");
}

TEST(responder, checks_object_fields_and_organization_against_a_definition) {
  soap::definition d;
  d.full_name = "Notify_ERP";
  d.object = "Account";
  d.fields = {{"Name", soap::field_type::string}};
  d.organization_id = soap::make_id("00D", 1);
  d.action_id = soap::make_id("04k", 1);
  responder_options options;
  options.definition = d;
  responder ep({}, 1, options, t0());
  EXPECT_EQ(post(ep, body()).response.status, 200);

  soap::message m = account_message(1);
  m.notifications[0].object.type = "Contact";
  auto fault_text = [&](const soap::message& msg) {
    const outcome o = post(ep, soap::write_envelope(msg));
    EXPECT_EQ(o.response.status, 500);
    return soap::classify_response(500, "", o.response.content_type, o.response.body).reason;
  };
  EXPECT_NE(fault_text(m).find("Contact"), std::string::npos);
  m = account_message(1);
  m.notifications[0].object.fields.push_back({"Secret__c", "x"});
  EXPECT_NE(fault_text(m).find("Secret__c"), std::string::npos);
  m = account_message(1);
  m.header.organization_id = soap::make_id("00D", 2);
  EXPECT_NE(fault_text(m).find("OrganizationId"), std::string::npos);

  const outcome w = request(ep, "GET", "/?wsdl");
  EXPECT_EQ(w.response.status, 200);
  EXPECT_NE(w.response.body.find("definitions"), std::string::npos);
}

TEST(responder, wsdl_without_definition_and_other_methods) {
  responder ep({}, 1, {}, t0());
  EXPECT_EQ(request(ep, "GET", "/?wsdl").response.status, 404);
  EXPECT_EQ(request(ep, "PUT", "/").response.status, 405);
}

TEST(responder, a_refuse_window_fires_once_however_many_connections_it_refuses) {
  responder ep(plan(R"([{"kind": "refuse", "after": "1s", "for": "1s"},
                      {"kind": "refuse", "every": 2, "after": "3s"}])"),
               1, {}, t0());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(ep.on_connection(t0() + 1500ms).action, connection_action::refuse);
  ep.count_refusal(t0() + 1500ms);  // the real server closing its port: the same window
  // A refusal by counter is per connection (the real server resets it).
  EXPECT_EQ(ep.on_connection(t0() + 3500ms).action, connection_action::accept);
  EXPECT_EQ(ep.on_connection(t0() + 3500ms).action, connection_action::refuse);
  EXPECT_EQ(ep.fired_per_entry(), (std::vector<std::uint64_t>{1, 1}));
  EXPECT_EQ(ep.faults_injected(fault_kind::refuse), 2u);
}

TEST(responder, connection_windows_with_a_length_drop_kept_alive_connections) {
  responder ep(plan(R"([{"kind": "stall", "after": "1s", "for": "1s"},
                      {"kind": "reset_before_read", "every": 2},
                      {"kind": "stall", "after_read": true, "after": "5s", "for": "1s"},
                      {"kind": "tls_expired", "after": "7s", "for": "1s"},
                      {"kind": "http_status", "status": 503, "after": "9s", "for": "1s"}])"),
               1, {}, t0());
  EXPECT_FALSE(ep.connection_window_open(t0()));
  EXPECT_TRUE(ep.connection_window_open(t0() + 1s));
  EXPECT_FALSE(ep.connection_window_open(t0() + 2s));
  EXPECT_FALSE(ep.connection_window_open(t0() + 5500ms));  // decided per request
  EXPECT_FALSE(ep.connection_window_open(t0() + 7500ms));  // TLS faults: not over plain HTTP
  EXPECT_FALSE(ep.connection_window_open(t0() + 9500ms));  // a request fault
  responder_options over_tls;
  over_tls.tls = true;
  responder tls(plan(R"([{"kind": "tls_expired", "after": "7s", "for": "1s"}])"), 1, over_tls,
                t0());
  EXPECT_TRUE(tls.connection_window_open(t0() + 7500ms));
}

TEST(responder, connection_faults) {
  auto first_connection = [](const char* p) {
    responder ep(plan(p), 1, {}, t0());
    const connection_outcome c = ep.on_connection(t0());
    EXPECT_EQ(ep.counters().connections, 1u);
    EXPECT_EQ(ep.faults_injected(c.fault.value_or(fault_kind::refuse)), c.fault ? 1u : 0u);
    return c;
  };
  EXPECT_EQ(first_connection(R"([{"kind": "refuse"}])").action, connection_action::refuse);
  EXPECT_EQ(first_connection(R"([{"kind": "close"}])").action, connection_action::close);
  const auto stall = first_connection(R"([{"kind": "stall", "hold": "3m"}])");
  EXPECT_EQ(stall.action, connection_action::stall);
  EXPECT_EQ(stall.hold, 3min);
  EXPECT_EQ(first_connection(R"([{"kind": "reset_before_read"}])").action,
            connection_action::reset);
  // Without TLS the tls_* kinds never apply; request faults never apply to connections.
  EXPECT_EQ(first_connection(R"([{"kind": "tls_hostname"}])").action, connection_action::accept);
  EXPECT_EQ(first_connection(R"([{"kind": "nack"}])").action, connection_action::accept);

  responder_options options;
  options.tls = true;
  responder tls(plan(R"([{"kind": "tls_expired"}])"), 1, options, t0());
  const auto c = tls.on_connection(t0());
  EXPECT_EQ(c.action, connection_action::tls_failure);
  EXPECT_EQ(c.tls, tls_failure_kind::expired);
  responder client(plan(R"([{"kind": "tls_client_certificate"}])"), 1, options, t0());
  const auto cc = client.on_connection(t0());
  EXPECT_EQ(cc.action, connection_action::tls_failure);
  EXPECT_EQ(cc.tls, tls_failure_kind::client_certificate);
  EXPECT_EQ(cc.fault, fault_kind::tls_client_certificate);
}

struct response_case {
  const char* plan;
  int status;
  soap::response_kind kind;
  fault_kind fault;
};

class response_faults : public ::testing::TestWithParam<response_case> {};

TEST_P(response_faults, decide_the_answer_and_are_counted) {
  const auto& c = GetParam();
  responder ep(plan(c.plan), 1, {}, t0());
  const outcome o = post(ep, body());
  EXPECT_EQ(o.action, response_action::respond);
  EXPECT_EQ(o.response.status, c.status);
  EXPECT_EQ(kind_of(o), c.kind) << o.response.body;
  EXPECT_EQ(ep.faults_injected(c.fault), 1u);
  EXPECT_EQ(ep.ledger().find(soap::make_id("04l", 1))->last, answer::injected(c.fault));
  EXPECT_EQ(ep.recent().back().outcome, to_string(c.fault));
}

INSTANTIATE_TEST_SUITE_P(
    responder, response_faults,
    ::testing::Values(response_case{R"([{"kind": "http_status", "status": 503}])", 503,
                                    soap::response_kind::http_status, fault_kind::http_status},
                      response_case{R"([{"kind": "html_error_page"}])", 502,
                                    soap::response_kind::http_status, fault_kind::html_error_page},
                      response_case{R"([{"kind": "html_error_page", "status": 200}])", 200,
                                    soap::response_kind::not_xml, fault_kind::html_error_page},
                      response_case{R"([{"kind": "nack"}])", 200, soap::response_kind::nack,
                                    fault_kind::nack},
                      response_case{R"([{"kind": "soap_fault", "faultstring": "closed"}])", 500,
                                    soap::response_kind::soap_fault, fault_kind::soap_fault},
                      response_case{R"([{"kind": "not_an_ack"}])", 200,
                                    soap::response_kind::not_an_ack, fault_kind::not_an_ack},
                      response_case{R"([{"kind": "empty_body"}])", 200, soap::response_kind::empty,
                                    fault_kind::empty_body}));

TEST(responder, http_status_carries_retry_after_and_reason) {
  responder ep(plan(R"([{"kind": "http_status", "status": 503, "retry_after": 120,
                        "reason": "Down For Maintenance"}])"),
               1, {}, t0());
  const outcome o = post(ep, body());
  EXPECT_EQ(o.response.reason, "Down For Maintenance");
  ASSERT_EQ(o.response.headers.size(), 1u);
  EXPECT_EQ(o.response.headers[0], (std::pair<std::string, std::string>{"Retry-After", "120"}));
}

TEST(responder, wrong_content_type_keeps_the_ack_body) {
  responder ep(plan(R"([{"kind": "wrong_content_type"}])"), 1, {}, t0());
  const outcome o = post(ep, body());
  EXPECT_EQ(o.response.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(o.response.body, soap::write_ack(true));
}

TEST(responder, actions_that_are_not_an_answer) {
  auto first_answer = [](const char* p) {
    responder ep(plan(p), 1, {}, t0());
    const outcome o = post(ep, body());
    // The request was read, so its notification is in the ledger whatever happens next.
    EXPECT_EQ(ep.ledger().find(soap::make_id("04l", 1))->times_seen, 1u);
    EXPECT_EQ(ep.counters().acks, 0u);
    return o;
  };
  EXPECT_EQ(first_answer(R"([{"kind": "reset_after_read"}])").action, response_action::reset);
  const outcome t = first_answer(R"([{"kind": "truncated_body", "bytes": 10}])");
  EXPECT_EQ(t.action, response_action::truncated);
  EXPECT_EQ(t.truncated_at, 10u);
  EXPECT_FALSE(t.keep_alive);
  const outcome g = first_answer(R"([{"kind": "garbage", "bytes": 32}])");
  EXPECT_EQ(g.action, response_action::garbage);
  EXPECT_EQ(g.garbage.size(), 32u);
  const outcome s = first_answer(R"([{"kind": "stall", "after_read": true, "hold": "5s"}])");
  EXPECT_EQ(s.action, response_action::stall);
  EXPECT_EQ(s.hold, 5s);
}

TEST(responder, every_entry_counts_the_requests_in_its_window) {
  // "first 2" means the first two requests, even when an earlier entry decided the first one.
  responder ep(plan(R"([{"kind": "nack", "first": 1}, {"kind": "soap_fault", "first": 2}])"), 1, {},
               t0());
  EXPECT_EQ(kind_of(post(ep, body())), soap::response_kind::nack);
  EXPECT_EQ(kind_of(post(ep, body())), soap::response_kind::soap_fault);
  EXPECT_EQ(kind_of(post(ep, body())), soap::response_kind::ack);
}

TEST(responder, timing_faults_combine_with_the_answer) {
  responder ep(plan(R"([{"kind": "delay", "value": "70s"},
                       {"kind": "slow_body", "bytes": 8, "interval": "1s"},
                       {"kind": "bandwidth", "bytes_per_second": 100},
                       {"kind": "nack", "every": 2}])"),
               1, {}, t0());
  const outcome a = post(ep, body());
  EXPECT_EQ(kind_of(a), soap::response_kind::ack);
  EXPECT_EQ(a.delay, 70s);
  ASSERT_TRUE(a.slow_body);
  EXPECT_EQ(a.slow_body->bytes, 8u);
  EXPECT_EQ(a.bandwidth, 100u);
  const outcome n = post(ep, body());
  EXPECT_EQ(kind_of(n), soap::response_kind::nack);
  EXPECT_EQ(n.delay, 70s);
  EXPECT_EQ(n.faults.size(), 4u);
  EXPECT_EQ(ep.faults_injected(fault_kind::delay), 2u);
  EXPECT_EQ(ep.faults_injected(fault_kind::nack), 1u);
}

TEST(responder, windows_first_and_every_select_requests) {
  responder ep(plan(R"([{"kind": "http_status", "status": 500, "after": "10s", "for": "10s"},
                       {"kind": "nack", "first": 2},
                       {"kind": "soap_fault", "every": 3}])"),
               1, {}, t0());
  std::vector<soap::response_kind> kinds;
  for (int i = 0; i < 7; ++i) {
    const time_point now = t0() + std::chrono::seconds(i == 3 ? 12 : i >= 4 ? 16 + i : 1);
    const outcome o = post(ep, body(), now);
    kinds.push_back(kind_of(o));
  }
  using k = soap::response_kind;
  // requests: nack, nack, fault (3rd), 500 (window), ack (window over; 4th not 3rd-multiple),
  // fault (6th), ack
  EXPECT_EQ(kinds, (std::vector<k>{k::nack, k::nack, k::soap_fault, k::http_status, k::ack,
                                   k::soap_fault, k::ack}));
}

TEST(responder, probabilities_are_seeded) {
  auto run = [](std::uint64_t seed) {
    responder ep(plan(R"([{"kind": "nack", "probability": 0.3}])"), seed, {}, t0());
    std::string pattern;
    for (int i = 0; i < 200; ++i)
      pattern += kind_of(post(ep, body())) == soap::response_kind::nack ? 'n' : 'a';
    return std::make_pair(pattern, ep.faults_injected(fault_kind::nack));
  };
  EXPECT_EQ(run(5), run(5));
  EXPECT_NE(run(5).first, run(6).first);
  EXPECT_GT(run(5).second, 30u);
  EXPECT_LT(run(5).second, 90u);
}

TEST(responder, refusal_windows_for_the_acceptor) {
  responder ep(plan(R"([{"kind": "refuse", "after": "1m", "for": "2m"},
                       {"kind": "refuse", "every": 2, "after": "3s"}])"),
               1, {}, t0());
  auto r = ep.refusal_at(t0());
  EXPECT_FALSE(r.refusing);
  EXPECT_EQ(r.next_change, t0() + 1min);
  r = ep.refusal_at(t0() + 90s);
  EXPECT_TRUE(r.refusing);
  EXPECT_EQ(r.next_change, t0() + 3min);
  r = ep.refusal_at(t0() + 3min);
  EXPECT_FALSE(r.refusing);
  EXPECT_FALSE(r.next_change);

  ep.replace_plan(plan(R"([{"kind": "refuse", "for": "1s"}])"), t0() + 1h);
  EXPECT_TRUE(ep.refusal_at(t0() + 1h).refusing);
  EXPECT_EQ(ep.on_connection(t0() + 1h).action, connection_action::refuse);
  EXPECT_EQ(ep.on_connection(t0() + 1h + 1s).action, connection_action::accept);
}

TEST(responder, reset_clears_what_was_received) {
  responder ep(plan(R"([{"kind": "nack"}])"), 1, {}, t0());
  (void)post(ep, body());
  ep.reset();
  EXPECT_EQ(ep.ledger().notifications(), 0u);
  EXPECT_EQ(ep.faults_injected(fault_kind::nack), 0u);
  EXPECT_TRUE(ep.recent().empty());
  EXPECT_EQ(ep.plan().faults.size(), 1u);
}

}  // namespace
}  // namespace outbound::mock_endpoint

namespace outbound::mock_endpoint {
namespace {

// A poison record: only messages that carry it get the fault, so its batch fails with it.
TEST(responder, a_fault_when_a_record_is_carried_blocks_only_its_messages) {
  const std::string poison = soap::make_id("001", 7);
  responder ep(plan(("[{\"kind\": \"soap_fault\", \"when\": {\"record_id\": \"" +
                     poison.substr(0, 15) + "\"}}]")
                        .c_str()),
               1, {}, t0());
  EXPECT_EQ(kind_of(post(ep, body(5, 1))), soap::response_kind::ack);         // records 1..5
  EXPECT_EQ(kind_of(post(ep, body(5, 6))), soap::response_kind::soap_fault);  // 6..10
  EXPECT_EQ(kind_of(post(ep, body(1, 7))), soap::response_kind::soap_fault);
  EXPECT_EQ(kind_of(post(ep, body(5, 11))), soap::response_kind::ack);
  EXPECT_EQ(ep.faults_injected(fault_kind::soap_fault), 2u);
  EXPECT_EQ(ep.fired_per_entry(), (std::vector<std::uint64_t>{2}));
}

TEST(responder, a_fault_when_a_field_has_a_value) {
  responder ep(plan(R"([{"kind": "http_status", "status": 500,
                        "when": {"field": "Name", "equals": "Acme 3"}}])"),
               1, {}, t0());
  EXPECT_EQ(post(ep, body(2, 1)).response.status, 200);
  EXPECT_EQ(post(ep, body(2, 2)).response.status, 500);
  EXPECT_EQ(post(ep, body(1, 4)).response.status, 200);
  // "every" counts only the requests that meet the condition.
  responder every(plan(R"([{"kind": "nack", "every": 2,
                           "when": {"field": "Name", "equals": "Acme 3"}}])"),
                  1, {}, t0());
  EXPECT_EQ(kind_of(post(every, body(1, 1))), soap::response_kind::ack);
  EXPECT_EQ(kind_of(post(every, body(1, 3))), soap::response_kind::ack);
  EXPECT_EQ(kind_of(post(every, body(1, 1))), soap::response_kind::ack);
  EXPECT_EQ(kind_of(post(every, body(1, 3))), soap::response_kind::nack);
}

// At most 2 requests in progress: each takes 300 ms, the third at once gets 429; once one is
// answered there is room again.
TEST(responder, a_concurrency_limit_answers_beyond_it) {
  responder ep(plan(R"([{"kind": "http_status", "status": 429,
                        "beyond": {"concurrent_requests": 2}},
                       {"kind": "delay", "value": "300ms"}])"),
               1, {}, t0());
  EXPECT_EQ(post(ep, body(), t0()).response.status, 200);
  EXPECT_EQ(post(ep, body(), t0() + 100ms).response.status, 200);
  const outcome limited = post(ep, body(), t0() + 200ms);
  EXPECT_EQ(limited.response.status, 429);
  EXPECT_EQ(limited.delay, duration{});  // answered at once, not after the delay
  EXPECT_EQ(post(ep, body(), t0() + 299ms).response.status, 429);
  EXPECT_EQ(post(ep, body(), t0() + 300ms).response.status, 200);  // the first was answered
  EXPECT_EQ(ep.faults_injected(fault_kind::http_status), 2u);
}

// At most 3 admitted requests in any second: the 4th within it gets 503; refused ones do not
// count towards the rate.
TEST(responder, a_rate_limit_answers_beyond_it) {
  responder ep(plan(R"([{"kind": "http_status", "status": 503, "retry_after": 5,
                        "beyond": {"requests_per_second": 3}}])"),
               1, {}, t0());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(post(ep, body(), t0() + i * 100ms).response.status, 200);
  const outcome o = post(ep, body(), t0() + 500ms);
  EXPECT_EQ(o.response.status, 503);
  EXPECT_EQ(o.response.headers.at(0).second, "5");
  EXPECT_EQ(post(ep, body(), t0() + 999ms).response.status, 503);
  EXPECT_EQ(post(ep, body(), t0() + 1000ms).response.status, 200);  // the first left the second
  EXPECT_EQ(post(ep, body(), t0() + 1050ms).response.status, 503);
  EXPECT_EQ(post(ep, body(), t0() + 1100ms).response.status, 200);
}

}  // namespace
}  // namespace outbound::mock_endpoint
