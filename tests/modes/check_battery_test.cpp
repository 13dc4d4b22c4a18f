#include "modes/check_battery.hpp"

#include <gtest/gtest.h>

#include <set>

#include "modes/builtin_definition.hpp"
#include "soap/ack.hpp"
#include "soap/ids.hpp"

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;

std::vector<check_case> battery(std::uint64_t seed = 1) {
  random rng(seed);
  return make_battery(builtin_account_definition(), rng);
}

const check_case& find(const std::vector<check_case>& b, std::string_view name) {
  for (const auto& c : b)
    if (c.name == name) return c;
  throw std::runtime_error("no check " + std::string(name));
}

sender::attempt_result answer(int status, std::string content_type, std::string body,
                              duration elapsed = 5ms) {
  sender::attempt_result r;
  r.response.status = status;
  r.response.reason = status == 200 ? "OK" : "Internal Server Error";
  r.response.content_type = std::move(content_type);
  r.response.body = std::move(body);
  r.elapsed = elapsed;
  return r;
}

TEST(make_battery, holds_the_documented_checks_in_order) {
  std::vector<std::string> names;
  for (const auto& c : battery()) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"one_notification", "hundred_notifications",
                                             "redelivery", "nil_session_id", "special_characters",
                                             "deleted_record", "fifteen_character_ids"}));
}

TEST(make_battery, every_message_is_an_envelope_that_parses_back_unchanged) {
  for (const auto& c : battery()) {
    const auto parsed = soap::parse_envelope(soap::write_envelope(c.message));
    ASSERT_TRUE(parsed) << c.name << ": " << parsed.error();
    EXPECT_EQ(*parsed, c.message) << c.name;
  }
}

TEST(make_battery, sends_100_distinct_notifications_in_one_message) {
  const auto b = battery();
  const auto& m = find(b, "hundred_notifications").message;
  ASSERT_EQ(m.notifications.size(), 100u);
  std::set<std::string> ids, records;
  for (const auto& n : m.notifications) {
    ids.insert(n.id);
    records.insert(n.object.id);
  }
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(records.size(), 100u);
}

TEST(make_battery, redelivers_the_first_messages_ids) {
  const auto b = battery();
  EXPECT_EQ(find(b, "redelivery").message.notifications,
            find(b, "one_notification").message.notifications);
}

TEST(make_battery, nils_the_session_id_only_where_asked) {
  for (const auto& c : battery())
    EXPECT_EQ(c.message.header.session_id.has_value(), c.name != "nil_session_id") << c.name;
}

TEST(make_battery, puts_markup_and_non_ascii_characters_in_string_fields) {
  std::string all;
  const auto b = battery();
  for (const auto& n : find(b, "special_characters").message.notifications)
    for (const auto& f : n.object.fields) all += f.value.value_or("");
  for (const char* wanted : {"&", "<", ">", "\"", "'", "]]>", "\u00fc", "\U0001F680", "\n"})
    EXPECT_NE(all.find(wanted), std::string::npos) << wanted;
}

TEST(make_battery, sends_a_deleted_record_with_its_id_only) {
  const auto b = battery();
  const auto& n = find(b, "deleted_record").message.notifications.at(0);
  EXPECT_TRUE(n.object.fields.empty());
  EXPECT_TRUE(soap::is_valid_id(n.object.id));
}

TEST(make_battery, uses_15_character_ids) {
  const auto b = battery();
  const auto& m = find(b, "fifteen_character_ids").message;
  EXPECT_EQ(m.header.organization_id.size(), 15u);
  for (const auto& n : m.notifications) {
    EXPECT_EQ(n.id.size(), 15u);
    EXPECT_EQ(n.object.id.size(), 15u);
    EXPECT_TRUE(soap::is_valid_id(n.id));
  }
}

TEST(make_battery, draws_fresh_ids_for_each_seed_and_the_same_for_the_same_seed) {
  EXPECT_NE(battery(1)[0].message.notifications[0].id, battery(2)[0].message.notifications[0].id);
  EXPECT_EQ(battery(3)[1].message, battery(3)[1].message);
}

TEST(judge_answer, passes_an_ack_true_with_text_xml) {
  const auto b = battery();
  const auto o =
      judge_answer(b[0], answer(200, "text/xml; charset=utf-8", soap::write_ack(true)), 60s);
  EXPECT_TRUE(o.passed) << o.failure;
  EXPECT_EQ(o.name, "one_notification");
  EXPECT_EQ(o.notifications, 1u);
  EXPECT_NE(o.came_back.find("HTTP 200"), std::string::npos) << o.came_back;
}

TEST(judge_answer, fails_a_nack_naming_it) {
  const auto o = judge_answer(battery()[0], answer(200, "text/xml", soap::write_ack(false)), 60s);
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.failure.find("nack"), std::string::npos) << o.failure;
}

TEST(judge_answer, fails_an_http_error_page_with_status_type_and_body) {
  const auto o =
      judge_answer(battery()[0], answer(500, "text/html", "<html><body>Oops</body></html>"), 60s);
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.failure.find("HTTP 500, expected 200"), std::string::npos) << o.failure;
  EXPECT_NE(o.failure.find("Content-Type 'text/html'"), std::string::npos) << o.failure;
  EXPECT_EQ(o.came_back.find("<html>"), std::string::npos) << o.came_back;  // no body there
  EXPECT_EQ(o.body_excerpt, "<html><body>Oops</body></html>");
}

TEST(judge_answer, fails_an_ack_with_the_wrong_content_type) {
  const auto o =
      judge_answer(battery()[0], answer(200, "application/json", soap::write_ack(true)), 60s);
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.failure, "Content-Type 'application/json', expected text/xml");
}

TEST(judge_answer, fails_a_timeout_naming_the_timeout) {
  sender::attempt_result r;
  r.error = sender::transport_error::timeout;
  r.detail = "deadline passed";
  r.elapsed = 2s;
  const auto o = judge_answer(battery()[0], r, 2s);
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.failure, "no answer within the 2s timeout");
  EXPECT_NE(o.came_back.find("no HTTP response after 2"), std::string::npos) << o.came_back;
}

TEST(judge_answer, fails_an_ack_that_came_after_the_timeout) {
  const auto o =
      judge_answer(battery()[0], answer(200, "text/xml", soap::write_ack(true), 61s), 60s);
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.failure.find("beyond the 1m timeout"), std::string::npos) << o.failure;
}

TEST(is_text_xml, accepts_parameters_and_case_only) {
  EXPECT_TRUE(is_text_xml("text/xml"));
  EXPECT_TRUE(is_text_xml("text/xml; charset=utf-8"));
  EXPECT_TRUE(is_text_xml(" Text/XML;charset=UTF-8"));
  EXPECT_FALSE(is_text_xml(""));
  EXPECT_FALSE(is_text_xml("application/soap+xml"));
  EXPECT_FALSE(is_text_xml("text/xmlx"));
  EXPECT_FALSE(is_text_xml("text/html"));
}

TEST(body_preview, keeps_one_line_and_cuts_on_a_character_boundary) {
  EXPECT_EQ(body_preview("a\nb\tc"), "a b c");
  EXPECT_EQ(body_preview("abcdef", 3), "abc\u2026");
  EXPECT_EQ(body_preview("ab\u00fc", 3), "ab\u2026");  // never half of the two-byte u-umlaut
}

// A listener's own receipt is what its author needs to see, not the envelope around it (issue 13:
// "never 120 bytes of envelope boilerplate").
TEST(body_preview, shows_what_a_soap_body_holds) {
  EXPECT_EQ(body_preview(R"(<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
 <soapenv:Body>
  <receipt xmlns="urn:example:erp"><status>queued</status></receipt>
 </soapenv:Body>
</soapenv:Envelope>)"),
            R"(<receipt xmlns="urn:example:erp"><status>queued</status></receipt>)");
  EXPECT_EQ(body_preview("<Envelope><Body><x/></Body></Envelope>"), "<x/>");
  // No envelope, or a Body that is only text: the body as it came.
  EXPECT_EQ(body_preview("<html><body>Bad Gateway</body></html>"),
            "<html><body>Bad Gateway</body></html>");
  EXPECT_EQ(body_preview("Internal Server Error"), "Internal Server Error");
  EXPECT_EQ(body_preview("<Envelope><Bodyguard/></Envelope>"), "<Envelope><Bodyguard/></Envelope>");
}

}  // namespace
}  // namespace outbound::modes
