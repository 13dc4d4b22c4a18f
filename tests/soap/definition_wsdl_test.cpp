#include <gtest/gtest.h>

#include "soap/definition.hpp"
#include "soap/ids.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

using testing::expect_input_error;

std::string reference_wsdl() {
  return testing::read_text(testing::reference_dir() / "Account.wsdl");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(definition_wsdl, reads_the_reference_file) {
  definition d = load_definition(testing::reference_dir() / "Account.wsdl");
  EXPECT_EQ(d.object, "Account");
  EXPECT_EQ(d.full_name, "AccountNotification");
  EXPECT_EQ(d.endpoint_url, "https://some.site");
  ASSERT_EQ(d.fields.size(), 20u);
  EXPECT_EQ(d.fields.front(), (field{"AccountNumber", field_type::string}));
  EXPECT_EQ(d.fields[13], (field{"PartnerUserAccount__c", field_type::id}));
  EXPECT_EQ(d.fields.back(), (field{"ShippingStreet", field_type::string}));
  EXPECT_TRUE(is_valid_id(d.organization_id));
  EXPECT_TRUE(d.action_id.starts_with("04k"));
}

TEST(definition_wsdl, matches_namespaces_by_uri_not_prefix) {
  std::string wsdl = reference_wsdl();
  // Rename the ens prefix everywhere: the loader must follow the declaration.
  for (std::size_t at; (at = wsdl.find("ens:")) != std::string::npos;) wsdl.replace(at, 4, "so:");
  wsdl = replaced(wsdl, "xmlns:ens=", "xmlns:so=");
  definition d = definition_from_wsdl(wsdl, "renamed.wsdl");
  EXPECT_EQ(d.object, "Account");
  EXPECT_EQ(d.fields.size(), 20u);
  // The same prefix bound to another namespace is not sObject.
  std::string other =
      replaced(reference_wsdl(), "xmlns:ens=\"urn:sobject.enterprise.soap.sforce.com\"",
               "xmlns:ens=\"urn:elsewhere\"");
  expect_input_error([&] { definition_from_wsdl(other, "other.wsdl"); }, "other.wsdl",
                     "definitions/types/schema/complexType");
}

TEST(definition_wsdl, reads_every_xsd_type) {
  std::string wsdl =
      replaced(reference_wsdl(),
               R"(<element name="AccountNumber" nillable="true" minOccurs="0" type="xsd:string"/>)",
               R"(<element name="A1" type="xsd:boolean"/><element name="A2" type="xsd:int"/>
         <element name="A3" type="xsd:double"/><element name="A4" type="xsd:date"/>
         <element name="A5" type="xsd:dateTime"/><element name="A6" type="xsd:base64Binary"/>
         <element name="A7" type="tns:ID"/><element name="A8"/>)");
  definition d = definition_from_wsdl(wsdl, "types.wsdl");
  std::vector<field> first(d.fields.begin(), d.fields.begin() + 8);
  std::vector<field> expected{{"A1", field_type::boolean},  {"A2", field_type::integer},
                              {"A3", field_type::number},   {"A4", field_type::date},
                              {"A5", field_type::datetime}, {"A6", field_type::string},
                              {"A7", field_type::id},       {"A8", field_type::string}};
  EXPECT_EQ(first, expected);
}

TEST(definition_wsdl, each_bad_input_names_the_place) {
  auto check = [](const std::string& wsdl, const std::string& path, const std::string& mentions) {
    SCOPED_TRACE(path + " " + mentions);
    std::string text =
        expect_input_error([&] { definition_from_wsdl(wsdl, "bad.wsdl"); }, "bad.wsdl", path);
    EXPECT_NE(text.find(mentions), std::string::npos) << text;
  };
  const std::string fields =
      "definitions/types/schema[2]/complexType[@name='Account']/complexContent/extension/sequence";
  check(replaced(reference_wsdl(), R"(location="https://some.site")", ""),
        "definitions/service/port/soap:address/@location", "endpoint");
  check(replaced(reference_wsdl(), R"(location="https://some.site")", R"(location="http://a:8")"),
        "definitions/service/port/soap:address/@location", "1024");
  check(replaced(reference_wsdl(), R"(name="BIC__c")", R"(name="BIC c")"),
        fields + "/element[4]/@name", "API name");
  check(replaced(reference_wsdl(), R"(name="BIC__c")", R"(name="Name")"),
        fields + "/element[13]/@name", "repeated");
  check(
      replaced(
          reference_wsdl(), R"(<complexType name="Account">)",
          R"(<complexType name="Contact"><complexContent><extension base="ens:sObject"/></complexContent></complexType><complexType name="Account">)"),
      "definitions/types/schema/complexType", "Contact, Account");
  check(replaced(reference_wsdl(), "http://schemas.xmlsoap.org/wsdl/\"", "urn:not-wsdl\""),
        "definitions", "http://schemas.xmlsoap.org/wsdl/");
  check("<definitions", "", "well-formed XML");
}

}  // namespace
}  // namespace outbound::soap
