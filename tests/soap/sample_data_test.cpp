#include "soap/sample_data.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <stdexcept>

#include "soap/ids.hpp"

namespace outbound::soap {
namespace {

definition account_definition() {
  definition d;
  d.full_name = "Notify_ERP";
  d.object = "Account";
  d.organization_id = make_id("00D", 11);
  d.action_id = make_id("04k", 12);
  d.fields = {{"AccountNumber", field_type::string},
              {"BillingCity", field_type::string},
              {"BillingCountry", field_type::string},
              {"BillingPostalCode", field_type::string},
              {"BillingStreet", field_type::string},
              {"EmailFinance__c", field_type::string},
              {"IBAN__c", field_type::string},
              {"Name", field_type::string},
              {"OwnerId", field_type::id},
              {"Phone", field_type::string},
              {"Website", field_type::string},
              {"Industry", field_type::string},
              {"NumberOfEmployees", field_type::integer},
              {"AnnualRevenue", field_type::number},
              {"IsActive__c", field_type::boolean},
              {"Since__c", field_type::date},
              {"LastModifiedDate", field_type::datetime},
              {"FirstName", field_type::string},
              {"LastName", field_type::string}};
  return d;
}

TEST(sample_data, same_seed_same_message_other_seed_other_message) {
  random a(7), b(7), c(8);
  const auto d = account_definition();
  const auto m = sample_message(d, 10, a);
  EXPECT_EQ(m, sample_message(d, 10, b));
  EXPECT_NE(m, sample_message(d, 10, c));
}

TEST(sample_data, header_and_ids) {
  random rng(1);
  auto d = account_definition();
  const auto m = sample_message(d, 100, rng);
  EXPECT_EQ(m.header.organization_id, d.organization_id);
  EXPECT_EQ(m.header.action_id, d.action_id);
  EXPECT_FALSE(m.header.session_id);
  EXPECT_EQ(m.header, make_header(d.organization_id, d.action_id, d.api_version));
  std::set<std::string> notes, records;
  for (const auto& n : m.notifications) {
    EXPECT_EQ(n.id.size(), 18u);
    EXPECT_EQ(n.id.substr(0, 3), "04l");
    EXPECT_TRUE(is_valid_id(n.id));
    EXPECT_EQ(n.object.type, "Account");
    EXPECT_EQ(n.object.id.substr(0, 3), "001");
    EXPECT_TRUE(is_valid_id(n.object.id)) << n.object.id;
    EXPECT_EQ(n.object.fields.size(), d.fields.size());
    notes.insert(n.id);
    records.insert(n.object.id);
  }
  EXPECT_EQ(notes.size(), 100u);
  EXPECT_EQ(records.size(), 100u);
  d.include_session_id = true;
  const auto with_session = sample_message(d, 1, rng);
  ASSERT_TRUE(with_session.header.session_id);
  EXPECT_EQ(with_session.header.session_id->substr(0, 16), d.organization_id.substr(0, 15) + "!");
}

TEST(sample_data, count_outside_1_to_100_throws) {
  random rng(1);
  EXPECT_THROW((void)sample_message(account_definition(), 101, rng), std::invalid_argument);
  EXPECT_THROW((void)sample_message(account_definition(), 0, rng), std::invalid_argument);
}

TEST(sample_data, definitions_without_ids_still_get_valid_ones) {
  random rng(3);
  auto d = account_definition();
  d.organization_id.clear();
  d.action_id.clear();
  const auto m = sample_message(d, 1, rng);
  EXPECT_EQ(m.header.organization_id.substr(0, 3), "00D");
  EXPECT_TRUE(is_valid_id(m.header.action_id));
}

TEST(sample_data, values_have_the_shape_of_their_field) {
  const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  const std::regex datetime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z)");
  const std::regex number(R"(-?\d+\.\d+)");
  const std::regex email(R"([a-z]+\.[a-z]+@[a-z-]+\.example\.com)");
  const std::regex website(R"(https://www\.[a-z-]+\.example\.com)");
  random rng(42);
  const auto d = account_definition();
  int nils = 0;
  for (int i = 0; i < 200; ++i) {
    for (const auto& f : sample_fields(d, rng)) {
      if (!f.value) {
        ++nils;
        continue;
      }
      const auto& v = *f.value;
      if (f.name == "Since__c") {
        EXPECT_TRUE(std::regex_match(v, date)) << v;
      }
      if (f.name == "LastModifiedDate") {
        EXPECT_TRUE(std::regex_match(v, datetime)) << v;
      }
      if (f.name == "AnnualRevenue") {
        EXPECT_TRUE(std::regex_match(v, number)) << v;
      }
      if (f.name == "IsActive__c") {
        EXPECT_TRUE(v == "true" || v == "false") << v;
      }
      if (f.name == "NumberOfEmployees") {
        EXPECT_GT(std::stoi(v), 0);
      }
      if (f.name == "EmailFinance__c") {
        EXPECT_TRUE(std::regex_match(v, email)) << v;
      }
      if (f.name == "Website") {
        EXPECT_TRUE(std::regex_match(v, website)) << v;
      }
      if (f.name == "OwnerId") {
        EXPECT_EQ(v.substr(0, 3), "005");
      }
      if (f.name == "OwnerId") {
        EXPECT_TRUE(is_valid_id(v)) << v;
      }
      if (f.name == "AccountNumber") {
        EXPECT_EQ(v.substr(0, 4), "ACC-");
      }
      if (f.name == "IBAN__c") {
        EXPECT_EQ(v.substr(0, 2), "DE");
      }
    }
  }
  const auto total = 200 * static_cast<int>(d.fields.size());
  EXPECT_GT(nils, total / 50);  // about 5%
  EXPECT_LT(nils, total / 10);
}

TEST(sample_data, names_include_unicode_and_xml_markup) {
  random rng(5);
  std::set<std::string> names;
  for (int i = 0; i < 500; ++i) {
    const auto v = sample_value({"Name", field_type::string}, rng);
    EXPECT_EQ(v.name, "Name");
    if (v.value) names.insert(*v.value);
  }
  EXPECT_TRUE(names.count("Müller GmbH"));
  EXPECT_TRUE(names.count("Société Générale"));
  EXPECT_TRUE(names.count("A&B <Ltd>"));
  EXPECT_GT(names.size(), 10u);
}

TEST(sample_data, generated_messages_round_trip_through_the_wire) {
  const auto d = account_definition();
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    random rng(seed);
    const auto m = sample_message(d, 1 + seed * 5, rng);
    const auto parsed = parse_envelope(write_envelope(m));
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(*parsed, m);
  }
}

}  // namespace
}  // namespace outbound::soap
