#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "common/random.hpp"
#include "soap/definition.hpp"
#include "soap/ids.hpp"
#include "soap/wsdl.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

definition account() {
  return load_definition(testing::reference_dir() / "Account.workflow-meta.xml");
}

// Lines of a text with the given prefix removed, for comparing structure with the reference.
std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

TEST(wsdl, has_the_reference_structure_line_for_line) {
  // The reference WSDL read back and written again differs only in the generated comment line.
  auto reference_file = testing::reference_dir() / "Account.wsdl";
  std::vector<std::string> reference = lines(testing::read_text(reference_file));
  std::vector<std::string> written = lines(write_wsdl(load_definition(reference_file)));
  ASSERT_EQ(written.size(), reference.size());
  int differing = 0;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    if (written[i] == reference[i]) continue;
    ++differing;
    EXPECT_TRUE(reference[i].starts_with("Generated on")) << "line " << i + 1 << ": " << written[i];
  }
  EXPECT_EQ(differing, 1);
}

TEST(wsdl, round_trips_object_fields_types_and_endpoint) {
  definition d = account();
  d.fields.push_back({"OwnerId", field_type::id});
  d.fields.push_back({"IsActive__c", field_type::boolean});
  d.fields.push_back({"Seats__c", field_type::integer});
  d.fields.push_back({"Rate__c", field_type::number});
  d.fields.push_back({"Due__c", field_type::date});
  d.fields.push_back({"Stamp__c", field_type::datetime});
  d.endpoint_url = "https://h.example.com:8443/in?a=1&b='2'";
  std::string wsdl = write_wsdl(d);
  EXPECT_NE(wsdl.find(R"(type="ent:ID")"), std::string::npos);
  EXPECT_NE(wsdl.find(R"(location="https://h.example.com:8443/in?a=1&amp;b=&apos;2&apos;")"),
            std::string::npos);
  EXPECT_NE(wsdl.find(R"(maxOccurs="100" type="tns:AccountNotification")"), std::string::npos);
  definition back = definition_from_wsdl(wsdl, "generated.wsdl");
  EXPECT_EQ(back.object, d.object);
  EXPECT_EQ(back.fields, d.fields);
  EXPECT_EQ(back.endpoint_url, d.endpoint_url);
  EXPECT_EQ(write_wsdl(d), wsdl);  // no time stamp: same bytes each time
}

TEST(wsdl, xmllint_accepts_it) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "no xmllint";
  testing::temp_dir dir;
  definition d = account();
  d.fields.push_back({"CloseDate", field_type::date});
  auto file = dir.write("account.wsdl", write_wsdl(d));
  std::string command = "xmllint --noout '" + file.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

// A random definition: object and field names of every shape the loaders accept.
definition random_definition(random& rng) {
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
  auto name = [&](std::size_t max) {
    std::string s(1, alphabet[rng.below(52)]);
    for (std::size_t n = rng.below(max); n > 0; --n) s += alphabet[rng.below(alphabet.size())];
    return s;
  };
  definition d;
  d.full_name = name(20);
  d.name = "Label " + name(10) + " & <more>";
  d.description = rng.chance(0.5) ? "" : "Description \"" + name(30) + "\"\n second line";
  d.object = rng.chance(0.5) ? name(12) : name(8) + "__c";
  std::set<std::string> seen{"Id"};
  for (std::size_t n = rng.below(40); n > 0; --n) {
    std::string f = name(15);
    if (!seen.insert(f).second) continue;
    d.fields.push_back({f, static_cast<field_type>(rng.below(7))});
  }
  bool https = rng.chance(0.7);
  d.include_session_id = https && rng.chance(0.5);
  d.use_dead_letter_queue = rng.chance(0.5);
  std::string port = rng.chance(0.5) ? "" : ":" + std::to_string(1024 + rng.below(64512));
  d.endpoint_url = std::string(https ? "https" : "http") + "://" + name(10) + ".example.com" +
                   port + "/" + name(8) + (rng.chance(0.3) ? "?q=" + name(5) + "&r='x'" : "");
  d.api_version = std::to_string(20 + rng.below(45)) + ".0";
  d.integration_user = rng.chance(0.5) ? "" : name(6) + "@example.com";
  d.organization_id = make_id("00D", rng.next() >> 20);
  d.action_id = make_id("04k", rng.next() >> 20);
  return d;
}

TEST(wsdl, seeded_random_definitions_round_trip_through_json_and_wsdl) {
  random rng(20260601);
  for (int i = 0; i < 300; ++i) {
    definition d = random_definition(rng);
    SCOPED_TRACE(to_json(d).dump());
    EXPECT_EQ(definition_from_json(to_json(d), "random.json"), d);
    EXPECT_EQ(definition_from_json(nlohmann::json::parse(to_json(d).dump()), "random.json"), d);
    definition back = definition_from_wsdl(write_wsdl(d), "random.wsdl");
    EXPECT_EQ(back.object, d.object);
    EXPECT_EQ(back.fields, d.fields);
    EXPECT_EQ(back.endpoint_url, d.endpoint_url);
    EXPECT_EQ(back.full_name, d.object + "Notification");
    pugi::xml_document doc;
    EXPECT_TRUE(doc.load_string(write_wsdl(d).c_str()));
  }
}

}  // namespace
}  // namespace outbound::soap
