// Seeded mutations of valid envelopes and listener responses: the parsers must return a value or
// a reason for every one of them, and never crash (run under the sanitizer build too).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "soap/ack.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"
#include "soap/sample_data.hpp"

namespace outbound::soap {
namespace {

std::string data_file(const std::string& name) {
  std::ifstream in(std::string(OUTBOUND_SOURCE_DIR) + "/tests/soap/data/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Fragments that move a parser to interesting states when spliced in.
constexpr std::string_view snippets[] = {
    "<",
    "</",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "\"",
    "'",
    "xmlns=\"\"",
    " xmlns:sf=\"urn:x\"",
    " xsi:nil=\"true\"",
    "<sf:Id>0015g0000000001</sf:Id>",
    "</sObject>",
    "<Notification>",
    "</notifications>",
    "\xEF\xBB\xBF",
    "\xFF\xFE",
    std::string_view("\0", 1),
    "<?xml version=\"1.0\"?>",
    "<!DOCTYPE x [<!ENTITY a \"b\">]>",
    "&a;",
};

std::string mutate(std::string s, random& rng) {
  const auto edits = 1 + rng.below(4);
  for (std::uint64_t k = 0; k < edits; ++k) {
    const auto at = s.empty() ? 0 : rng.below(s.size() + 1);
    switch (rng.below(5)) {
      case 0:  // truncate
        s.resize(at);
        break;
      case 1:  // flip bits of one byte
        if (!s.empty()) s[at % s.size()] ^= static_cast<char>(1 + rng.below(255));
        break;
      case 2: {  // insert random bytes
        std::string bytes(1 + rng.below(8), '\0');
        for (auto& c : bytes) c = static_cast<char>(rng.below(256));
        s.insert(at, bytes);
        break;
      }
      case 3: {  // splice in a snippet
        const auto& snippet = snippets[rng.below(std::size(snippets))];
        s.insert(at, snippet.data(), snippet.size());
        break;
      }
      default: {  // delete or duplicate a range
        const auto len = std::min<std::uint64_t>(s.size() - at, 1 + rng.below(64));
        if (rng.chance(0.5))
          s.erase(at, len);
        else
          s.insert(at, s.substr(at, len));
      }
    }
  }
  return s;
}

std::vector<std::string> envelope_seeds() {
  definition d;
  d.object = "Account";
  d.organization_id = make_id("00D", 1);
  d.action_id = make_id("04k", 1);
  d.include_session_id = true;
  d.fields = {{"Name", field_type::string},
              {"Phone", field_type::string},
              {"OwnerId", field_type::id},
              {"Since__c", field_type::date}};
  std::vector<std::string> seeds{data_file("reference_sample_opportunity_request.xml"),
                                 data_file("stack_axis_crlf_no_declaration.xml"),
                                 data_file("stack_dotnet_default_namespaces.xml"),
                                 data_file("stack_prefixed_redeclared.xml")};
  for (std::size_t count : {1u, 3u, 100u}) {
    random rng(count);
    seeds.push_back(write_envelope(sample_message(d, count, rng)));
  }
  return seeds;
}

TEST(fuzz, envelope_parser_returns_a_message_or_a_reason_for_any_bytes) {
  const auto seeds = envelope_seeds();
  random rng(20240601);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    // Mostly small envelopes; the 100-notification one now and then.
    const auto& seed = seeds[rng.below(seeds.size() - (i % 10 == 0 ? 0 : 1))];
    const auto input = mutate(seed, rng);
    const auto m = parse_envelope(input);
    if (!m) {
      EXPECT_FALSE(m.error().empty());
      continue;
    }
    ++accepted;
    EXPECT_GE(m->notifications.size(), 1u);
    EXPECT_LE(m->notifications.size(), max_notifications);
    for (const auto& n : m->notifications) {
      EXPECT_TRUE(is_valid_id(n.id)) << n.id;
      EXPECT_TRUE(is_valid_id(n.object.id)) << n.object.id;
    }
  }
  // Mutations inside values keep the envelope valid: both outcomes are exercised.
  EXPECT_GT(accepted, 500);
  EXPECT_LT(accepted, 19500);
}

TEST(fuzz, response_classifier_returns_a_verdict_for_any_bytes) {
  const std::vector<std::string> seeds{
      write_ack(true), write_ack(false), write_fault("Server", "ERP down & <retrying>"),
      "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
      "<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
      "<n:notificationsResponse xmlns:n='http://soap.sforce.com/2005/09/outbound'><n:Ack>1</n:Ack>"
      "</n:notificationsResponse></s:Body></s:Envelope>"};
  random rng(7);
  int kinds[7] = {};
  for (int i = 0; i < 20000; ++i) {
    const auto input = mutate(seeds[rng.below(seeds.size())], rng);
    const int status = rng.chance(0.8) ? 200 : 500 + static_cast<int>(rng.below(4));
    const auto v = classify_response(status, "", "text/xml", input);
    ++kinds[static_cast<int>(v.kind)];
    EXPECT_EQ(v.reason.empty(), v.kind == response_kind::ack) << to_string(v.kind);
    EXPECT_NE(to_string(v.kind), "unknown");
  }
  for (auto k : {response_kind::ack, response_kind::nack, response_kind::soap_fault,
                 response_kind::not_xml, response_kind::not_an_ack, response_kind::http_status})
    EXPECT_GT(kinds[static_cast<int>(k)], 0) << to_string(k);
}

}  // namespace
}  // namespace outbound::soap
