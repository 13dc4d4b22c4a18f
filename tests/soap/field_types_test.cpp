#include <gtest/gtest.h>

#include "soap/definition.hpp"
#include "soap/definition_detail.hpp"

namespace outbound::soap {
namespace {

TEST(field_types, names_round_trip) {
  for (int i = 0; i < 7; ++i) {
    auto t = static_cast<field_type>(i);
    EXPECT_EQ(defs::field_type_from_string(to_string(t)), t);
  }
  EXPECT_EQ(to_string(field_type::id), "ID");
  EXPECT_EQ(xsd_type(field_type::id), "ent:ID");
  EXPECT_EQ(xsd_type(field_type::datetime), "xsd:dateTime");
  EXPECT_EQ(xsd_type(field_type::integer), "xsd:int");
  EXPECT_FALSE(defs::field_type_from_string("id"));
  EXPECT_FALSE(defs::field_type_from_string("text"));
}

TEST(field_types, guesses_well_known_standard_fields) {
  using defs::guess_field_type;
  EXPECT_EQ(guess_field_type("Id"), field_type::id);
  EXPECT_EQ(guess_field_type("AccountId"), field_type::id);
  EXPECT_EQ(guess_field_type("CreatedById"), field_type::id);
  EXPECT_EQ(guess_field_type("SystemModstamp"), field_type::datetime);
  EXPECT_EQ(guess_field_type("Birthdate"), field_type::date);
  EXPECT_EQ(guess_field_type("Probability"), field_type::number);
  EXPECT_EQ(guess_field_type("NumberOfEmployees"), field_type::integer);
  EXPECT_EQ(guess_field_type("IsWon"), field_type::boolean);
  EXPECT_EQ(guess_field_type("Industry"), field_type::string);
  EXPECT_EQ(guess_field_type("Island__c"), field_type::string);
  EXPECT_EQ(guess_field_type("SAP_ID"), field_type::string);
}

TEST(field_types, sorts_like_the_salesforce_wsdl) {
  std::vector<field> f{{"ShippingStreet"},        {"BillingCity"},   {"BIC__c"},
                       {"Addressed_To__c"},       {"AccountNumber"}, {"Payment_Method__c"},
                       {"PartnerUserAccount__c"}, {"name"},          {"Name"}};
  defs::sort_fields_like_salesforce(f);
  std::vector<std::string> names;
  for (const auto& x : f) names.push_back(x.name);
  EXPECT_EQ(names, (std::vector<std::string>{"AccountNumber", "Addressed_To__c", "BIC__c",
                                             "BillingCity", "Name", "name", "PartnerUserAccount__c",
                                             "Payment_Method__c", "ShippingStreet"}));
}

TEST(field_types, api_names) {
  EXPECT_TRUE(defs::is_api_name("Notify_ERP"));
  EXPECT_TRUE(defs::is_api_name("a1__c"));
  EXPECT_FALSE(defs::is_api_name(""));
  EXPECT_FALSE(defs::is_api_name("1abc"));
  EXPECT_FALSE(defs::is_api_name("_abc"));
  EXPECT_FALSE(defs::is_api_name("a-b"));
  EXPECT_FALSE(defs::is_api_name("a b"));
}

}  // namespace
}  // namespace outbound::soap
