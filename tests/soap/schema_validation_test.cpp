// Generated envelopes against the schemas of WSDLs, with xmllint: the reference Account.wsdl, and
// the WSDLs write_wsdl makes for many seeded random definitions.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "soap/definition.hpp"
#include "soap/ids.hpp"
#include "soap/sample_data.hpp"
#include "soap/wsdl.hpp"
#include "tests/soap/xsd_validation.hpp"

namespace outbound::soap {
namespace {

const std::string examples_dir = std::string(OUTBOUND_SOURCE_DIR) + "/examples/definitions/";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "test data missing: " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// All of Account.wsdl's Account fields, in its sequence order.
definition reference_account(bool every_field) {
  definition d;
  d.object = "Account";
  d.organization_id = make_id("00D", 1234);
  d.action_id = make_id("04k", 99);
  for (std::string_view name : {"AccountNumber",
                                "AccountOwnerName__c",
                                "Addressed_To__c",
                                "BIC__c",
                                "BillingCity",
                                "BillingCountry",
                                "BillingPostalCode",
                                "BillingStreet",
                                "Debtor_Number__c",
                                "EmailFinance__c",
                                "Financial_Name__c",
                                "IBAN__c",
                                "Name",
                                "PartnerUserAccount__c",
                                "Payment_Method__c",
                                "Phone",
                                "PortalPriceLevel__c",
                                "ShippingCity",
                                "ShippingCountry",
                                "ShippingStreet"}) {
    const bool keep = every_field || name.find("Billing") != std::string_view::npos ||
                      name == "Name" || name == "PartnerUserAccount__c" || name == "Phone";
    if (keep)
      d.fields.push_back({std::string(name),
                          name == "PartnerUserAccount__c" ? field_type::id : field_type::string});
  }
  return d;
}

class schema_validation : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("xmllint --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no xmllint";
  }
  const std::string account_wsdl = read_file(examples_dir + "Account.wsdl");
};

TEST_F(schema_validation, sample_envelopes_validate_against_the_reference_account_wsdl) {
  for (bool every_field : {false, true})
    for (std::size_t count : {1u, 100u}) {
      random rng(count * 2 + every_field);
      auto d = reference_account(every_field);
      d.include_session_id = count == 1;
      const auto r =
          testing::validate_envelope(account_wsdl, write_envelope(sample_message(d, count, rng)));
      EXPECT_TRUE(r.ok) << count << " notifications: " << r.output;
    }
}

TEST_F(schema_validation, the_check_rejects_what_the_schema_forbids) {
  random rng(1);
  const auto good = sample_message(reference_account(true), 3, rng);
  auto swapped = good;  // BillingCity before AccountNumber: out of sequence order
  std::swap(swapped.notifications[0].object.fields[0], swapped.notifications[0].object.fields[4]);
  EXPECT_FALSE(testing::validate_envelope(account_wsdl, write_envelope(swapped)).ok);
  auto short_id = good;  // the WSDL's ID type demands 18 characters
  short_id.notifications[1].id.resize(15);
  EXPECT_FALSE(testing::validate_envelope(account_wsdl, write_envelope(short_id)).ok);
  auto unknown = good;
  unknown.notifications[2].object.fields.push_back({"NoSuchField__c", "x"});
  EXPECT_FALSE(testing::validate_envelope(account_wsdl, write_envelope(unknown)).ok);
  // maxOccurs="100": the writer refuses 101, so the notifications are added to valid XML text.
  std::string many = write_envelope(sample_message(reference_account(false), 100, rng));
  const auto b = many.find("   <Notification>");
  const auto e = many.find("   </Notification>\n") + 19;
  many.insert(b, many.substr(b, e - b));
  EXPECT_FALSE(testing::validate_envelope(account_wsdl, many).ok);
}

TEST_F(schema_validation, a_definition_loaded_from_the_wsdl_validates_against_it) {
  const auto d = load_definition(examples_dir + "Account.wsdl");
  random rng(9);
  const auto r =
      testing::validate_envelope(account_wsdl, write_envelope(sample_message(d, 100, rng)));
  EXPECT_TRUE(r.ok) << r.output;
}

TEST_F(schema_validation, a_workflow_definition_validates_against_the_wsdl_written_for_it) {
  // The file must be named after its object, as Salesforce retrieves it.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("outbound-schema-workflow-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(examples_dir + "Account.workflow-meta.xml",
                             dir / "Account.workflow-meta.xml",
                             std::filesystem::copy_options::overwrite_existing);
  const auto d = load_definition(dir / "Account.workflow-meta.xml");
  std::filesystem::remove_all(dir);
  random rng(11);
  const auto r =
      testing::validate_envelope(write_wsdl(d), write_envelope(sample_message(d, 100, rng)));
  EXPECT_TRUE(r.ok) << r.output;
}

// A random definition: a standard or custom object, 0-30 fields of every type, realistic names.
definition random_definition(random& rng) {
  static constexpr std::string_view objects[] = {"Account", "Contact", "Opportunity",
                                                 "Lead",    "Case",    "Invoice__c"};
  static constexpr std::string_view names[] = {
      "Name",          "FirstName",     "LastName",          "Email",           "Phone",
      "BillingStreet", "BillingCity",   "BillingPostalCode", "BillingCountry",  "Website",
      "Industry",      "AccountNumber", "OwnerId",           "AccountId",       "Amount",
      "CloseDate",     "StageName",     "Description",       "LastModifiedDate"};
  static constexpr field_type types[] = {
      field_type::string, field_type::id,   field_type::boolean, field_type::integer,
      field_type::number, field_type::date, field_type::datetime};
  definition d;
  d.full_name = "Random_" + std::to_string(rng.below(1000));
  d.name = d.full_name;
  d.object = std::string(objects[rng.below(std::size(objects))]);
  d.endpoint_url = "https://erp.example.com:8443/outbound";
  d.include_session_id = rng.chance(0.5);
  d.organization_id = make_id("00D", rng.below(100000));
  d.action_id = make_id("04k", rng.below(100000));
  const auto count = rng.below(31);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto type = types[rng.below(std::size(types))];
    std::string name = rng.chance(0.5) ? std::string(names[rng.below(std::size(names))]) + "_" +
                                             std::to_string(i) + "__c"
                                       : "Field" + std::to_string(i) + "__c";
    d.fields.push_back({std::move(name), type});
  }
  return d;
}

TEST_F(schema_validation, envelopes_validate_against_the_wsdl_written_for_their_definition) {
  random rng(2024);
  for (int i = 0; i < 25; ++i) {
    const auto d = random_definition(rng);
    const auto count = 1 + rng.below(100);
    const auto r =
        testing::validate_envelope(write_wsdl(d), write_envelope(sample_message(d, count, rng)));
    EXPECT_TRUE(r.ok) << "definition " << i << " (" << d.object << ", " << d.fields.size()
                      << " fields, " << count << " notifications): " << r.output;
  }
}

TEST_F(schema_validation, the_validate_envelope_script_agrees) {
  if (std::system("command -v python3 > /dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  random rng(5);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("outbound-validate-script-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  const auto message = sample_message(reference_account(true), 100, rng);
  auto bad = message;
  bad.notifications[0].object.fields.push_back({"NoSuchField__c", "x"});
  const std::string script = std::string(OUTBOUND_SOURCE_DIR) + "/scripts/validate-envelope ";
  const auto wsdl = examples_dir + "Account.wsdl ";
  const auto run = [&](const std::string& envelope) {
    return std::system((script + wsdl + envelope + " > /dev/null 2>&1").c_str());
  };
  EXPECT_EQ(run(write("good.xml", write_envelope(message))), 0);
  EXPECT_NE(run(write("bad.xml", write_envelope(bad))), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace outbound::soap
