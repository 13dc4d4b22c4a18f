// The envelope read without a DOM (soap/envelope_canonical.cpp) must return exactly what the DOM
// parser returns, or nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "soap/envelope.hpp"

namespace outbound::soap {
namespace {

std::string reference_sample() {
  std::ifstream in(std::string(OUTBOUND_SOURCE_DIR) +
                       "/tests/soap/data/reference_sample_opportunity_request.xml",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty());
  return s.str();
}

// A value with the characters the writer escapes, blanks, non-ASCII text and nothing at all.
std::string random_value(std::mt19937& rng) {
  static const std::vector<std::string> pieces{"Paris", "&",  "<", ">",   "\"",  "'",         "\r",
                                               "\n",    "\t", " ", "été", "]]>", "A&B <Ltd>", "0"};
  std::string v;
  for (int n = std::uniform_int_distribution<int>(0, 5)(rng); n > 0; --n)
    v += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
  return v;
}

message random_message(std::mt19937& rng, std::size_t notifications) {
  message m = {make_header("00D5g00435h1BylEAE", "04k5g00CIh7epeNAMQ", "59.0"), {}};
  if (rng() % 2) m.header.session_id = random_value(rng);
  for (std::size_t i = 0; i < notifications; ++i) {
    notification n{"04l5g00000ayGaGAAU",
                   {rng() % 2 ? "Account" : "Custom_Object__c",
                    rng() % 2 ? "0015g00000lOwTmAAK" : "0015g00000lOwTm",
                    {}}};
    for (int f = std::uniform_int_distribution<int>(0, 6)(rng); f > 0; --f) {
      std::optional<std::string> value;
      if (rng() % 4) value = random_value(rng);
      n.object.fields.push_back({"Field_" + std::to_string(f) + "__c", value});
    }
    m.notifications.push_back(std::move(n));
  }
  return m;
}

TEST(envelope_canonical, reads_what_the_writer_writes_as_the_dom_does) {
  std::mt19937 rng(14);
  for (int round = 0; round < 300; ++round) {
    const std::size_t count = round % 50 == 0 ? 100 : 1 + rng() % 3;
    const message m = random_message(rng, count);
    const std::string body = write_envelope(m);
    const auto fast = detail::parse_canonical_envelope(body);
    ASSERT_TRUE(fast) << body;
    const auto dom = detail::parse_envelope_by_dom(body);
    ASSERT_TRUE(dom) << dom.error();
    EXPECT_EQ(*fast, *dom) << body;
    EXPECT_EQ(*fast, m) << body;
  }
}

// One message parsed into again and again (as the mock does) holds exactly what a fresh parse
// returns: fewer notifications or fields than the last one, nil after a value and back, the
// DOM's renderings and refusals in between.
TEST(envelope_canonical, parsing_into_a_used_message_leaves_nothing_of_the_last_one) {
  std::mt19937 rng(16);
  message reused;
  for (int round = 0; round < 200; ++round) {
    std::string body = write_envelope(random_message(rng, 1 + rng() % 4));
    if (round % 7 == 3)  // another stack's prefixes: the DOM's path
      body.replace(body.find("<notifications xmlns="), 21, "<o:notifications xmlns:o=");
    if (round % 11 == 5) body.replace(body.find("<Id>") + 4, 1, "-");  // refused
    const auto fresh = parse_envelope(body);
    const auto refused = parse_envelope_into(body, reused);
    ASSERT_EQ(refused.has_value(), !fresh) << body;
    if (fresh) {
      EXPECT_EQ(reused, *fresh) << body;
    } else {
      EXPECT_EQ(*refused, fresh.error());
    }
  }
}

TEST(envelope_canonical, reads_salesforce_s_own_request) {
  const std::string body = reference_sample();
  const auto fast = detail::parse_canonical_envelope(body);
  ASSERT_TRUE(fast);
  EXPECT_EQ(*fast, *detail::parse_envelope_by_dom(body));
  EXPECT_EQ(fast->notifications.at(0).object.type, "Opportunity");
}

TEST(envelope_canonical, leaves_everything_else_to_the_dom) {
  std::mt19937 rng(15);
  const std::string body = write_envelope(random_message(rng, 1));
  const auto declined = [](const std::string& b) {
    return !detail::parse_canonical_envelope(b).has_value();
  };
  // Another SOAP stack's rendering: parsed, by the DOM.
  std::string prefixed = body;
  prefixed.replace(prefixed.find("<notifications xmlns="), 21, "<o:notifications xmlns:o=");
  EXPECT_TRUE(declined(prefixed));
  // An id with blanks around it is trimmed by the DOM; an invalid one is its error to word.
  std::string padded = body;
  padded.replace(padded.find("<Id>") + 4, 0, " ");
  EXPECT_TRUE(declined(padded));
  EXPECT_TRUE(parse_envelope(padded));
  std::string bad_id = body;
  bad_id.replace(bad_id.find("<Id>") + 4, 3, "x-z");
  EXPECT_TRUE(declined(bad_id));
  EXPECT_NE(parse_envelope(bad_id).error().find("invalid id"), std::string::npos);
  // 101 notifications: the DOM's refusal, word for word.
  const std::string many = write_envelope(random_message(rng, 100));
  const auto at = many.find("   <Notification>");
  const auto end = many.find("   </Notification>\n") + 19;
  std::string too_many = many;
  too_many.insert(at, many.substr(at, end - at));
  EXPECT_TRUE(declined(too_many));
  EXPECT_EQ(parse_envelope(too_many).error(), "101 notifications, at most 100 allowed");
  // A second sf:Id, a field written empty as <sf:X/>, an entity the writer never writes.
  std::string second_id = body;
  second_id.replace(second_id.find("</sObject>"), 0, "<sf:Id>0015g00000lOwTm</sf:Id>");
  EXPECT_TRUE(declined(second_id));
  EXPECT_FALSE(parse_envelope(second_id));
  std::string empty_field = body;
  empty_field.replace(empty_field.find("</sObject>"), 0, "<sf:Empty/>");
  EXPECT_TRUE(declined(empty_field));
  EXPECT_EQ(parse_envelope(empty_field)->notifications[0].object.fields.back().value, "");
  std::string hex = body;
  hex.replace(hex.find("</PartnerUrl>"), 0, "&#x41;");
  EXPECT_TRUE(declined(hex));
  EXPECT_TRUE(parse_envelope(hex)->header.partner_url.ends_with("A"));
}

// Whatever one byte deleted, replaced or inserted anywhere does to an envelope, the path without a
// DOM returns the DOM's message or leaves the body to it.
TEST(envelope_canonical, agrees_with_the_dom_on_every_one_byte_change) {
  message m = {make_header("00D5g00435h1BylEAE", "04k5g00CIh7epeNAMQ", "59.0", "S&1"), {}};
  m.notifications.push_back(
      {"04l5g00000ayGaGAAU",
       {"Account", "0015g00000lOwTmAAK", {{"Name", "A&B <x>\r"}, {"Phone", std::nullopt}}}});
  const std::string form = write_envelope(m);
  int recognised = 0, changes = 0;
  for (std::size_t i = 0; i <= form.size(); ++i) {
    std::vector<std::string> variants;
    if (i < form.size()) {
      variants.push_back(std::string(form).erase(i, 1));
      for (char c : {'x', '1', ' ', '\r', '\0', '<', '>', '"', '&', '/', ':', ';'})
        variants.push_back(std::string(form).replace(i, 1, 1, c));
    }
    for (char c : {'x', ' ', '\n', '<', '&', '/'})
      variants.push_back(std::string(form).insert(i, 1, c));
    for (const auto& body : variants) {
      ++changes;
      const auto fast = detail::parse_canonical_envelope(body);
      if (!fast) continue;
      ++recognised;
      const auto dom = detail::parse_envelope_by_dom(body);
      ASSERT_TRUE(dom) << "at " << i << ": " << dom.error() << "\n" << body;
      EXPECT_EQ(*fast, *dom) << "at " << i << "\n" << body;
    }
  }
  // Whitespace between elements and changes inside values keep the form; most others do not.
  EXPECT_GT(recognised, 0);
  EXPECT_LT(recognised, changes / 3);
}

}  // namespace
}  // namespace outbound::soap
