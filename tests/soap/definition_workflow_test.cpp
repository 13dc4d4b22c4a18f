#include <gtest/gtest.h>

#include "soap/definition.hpp"
#include "soap/ids.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

using testing::expect_input_error;

std::string workflow(const std::string& messages) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<Workflow xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n" +
         messages + "</Workflow>\n";
}

std::string message(const std::string& full_name, const std::string& extra = "") {
  return "<outboundMessages><fullName>" + full_name +
         "</fullName><endpointUrl>https://x.example.com:8443/in</endpointUrl>"
         "<fields>Name</fields><fields>Id</fields>" +
         extra + "</outboundMessages>\n";
}

TEST(definition_workflow, reads_the_reference_file) {
  auto file = testing::reference_dir() / "Account.workflow-meta.xml";
  definition d = load_definition(file);
  EXPECT_EQ(d.full_name, "Notify_ERP");
  EXPECT_EQ(d.name, "Notify ERP");
  EXPECT_EQ(d.object, "Account");
  EXPECT_EQ(d.endpoint_url, "https://sap.example.com/sap/bc/srt/sfdc/account");
  EXPECT_EQ(d.api_version, "59.0");
  EXPECT_FALSE(d.include_session_id);
  EXPECT_TRUE(d.use_dead_letter_queue);
  EXPECT_EQ(d.integration_user, "integration@datasync.example.com");
  EXPECT_TRUE(d.description.starts_with("Sends the account's name"));
  std::vector<field> expected{
      {"AccountNumber", field_type::string},  {"BillingCity", field_type::string},
      {"BillingCountry", field_type::string}, {"BillingPostalCode", field_type::string},
      {"BillingStreet", field_type::string},  {"Name", field_type::string}};
  EXPECT_EQ(d.fields, expected);
  EXPECT_TRUE(d.organization_id.starts_with("00D"));
  EXPECT_TRUE(is_valid_id(d.action_id));
  EXPECT_EQ(load_definition(file, "Notify_ERP"), d);
}

TEST(definition_workflow, the_example_json_is_the_same_definition) {
  definition xml = load_definition(testing::reference_dir() / "Account.workflow-meta.xml");
  EXPECT_EQ(load_definition(testing::examples_dir() / "account.json"), xml);
}

TEST(definition_workflow, sorts_fields_like_salesforce_and_types_well_known_ones) {
  std::string extra =
      "<fields>ShippingCity</fields><fields>BIC__c</fields><fields>BillingCity</fields>"
      "<fields>AccountId</fields><fields>IsDeleted</fields><fields>CreatedDate</fields>"
      "<fields>NumberOfEmployees</fields><fields>Amount</fields><fields>CloseDate</fields>";
  definition d =
      definition_from_workflow_xml(workflow(message("M", extra)), "Opportunity.workflow-meta.xml");
  std::vector<field> expected{{"AccountId", field_type::id},
                              {"Amount", field_type::number},
                              {"BIC__c", field_type::string},
                              {"BillingCity", field_type::string},
                              {"CloseDate", field_type::date},
                              {"CreatedDate", field_type::datetime},
                              {"IsDeleted", field_type::boolean},
                              {"Name", field_type::string},
                              {"NumberOfEmployees", field_type::integer},
                              {"ShippingCity", field_type::string}};
  EXPECT_EQ(d.fields, expected);
  EXPECT_EQ(d.object, "Opportunity");
  EXPECT_EQ(d.name, "M");
}

TEST(definition_workflow, object_comes_from_the_file_name_with_or_without_a_directory) {
  std::string xml = workflow(message("M"));
  EXPECT_EQ(definition_from_workflow_xml(xml, "/tmp/a/Invoice__c.workflow-meta.xml").object,
            "Invoice__c");
  EXPECT_EQ(definition_from_workflow_xml(xml, "workflows/Lead.workflow").object, "Lead");
  std::string text = expect_input_error(
      [&] { definition_from_workflow_xml(xml, "dir/workflow.xml"); }, "dir/workflow.xml", "");
  EXPECT_NE(text.find("<Object>.workflow-meta.xml"), std::string::npos);
  expect_input_error([&] { definition_from_workflow_xml(xml, "my object.workflow-meta.xml"); },
                     "my object.workflow-meta.xml", "");
}

TEST(definition_workflow, several_messages_need_a_name) {
  testing::temp_dir dir;
  auto file = dir.write("Account.workflow-meta.xml",
                        workflow(message("First") + message("Second", "<fields>Phone</fields>")));
  EXPECT_EQ(load_definition(file, "Second").full_name, "Second");
  EXPECT_EQ(load_definition(file, "Second").fields.size(), 2u);
  EXPECT_EQ(load_definition(file, "First").fields.size(), 1u);
  std::string text = expect_input_error([&] { load_definition(file); }, file.string(),
                                        "Workflow/outboundMessages");
  EXPECT_NE(text.find("First, Second"), std::string::npos) << text;
  text = expect_input_error([&] { load_definition(file, "Third"); }, file.string(),
                            "Workflow/outboundMessages");
  EXPECT_NE(text.find("\"Third\""), std::string::npos) << text;
  EXPECT_NE(text.find("First, Second"), std::string::npos) << text;
}

TEST(definition_workflow, each_bad_input_names_the_element) {
  const std::string f = "Account.workflow-meta.xml";
  auto check = [&](const std::string& xml, const std::string& path, const std::string& mentions) {
    SCOPED_TRACE(path);
    std::string text = expect_input_error([&] { definition_from_workflow_xml(xml, f); }, f, path);
    EXPECT_NE(text.find(mentions), std::string::npos) << text;
  };
  check(workflow(""), "Workflow/outboundMessages", "at least one");
  check(
      workflow(message("A") +
               "<outboundMessages><fullName>B</fullName><fields>Name</fields></outboundMessages>"),
      "Workflow/outboundMessages", "several: A, B");
  check(workflow("<outboundMessages><endpointUrl>https://a.example.com</endpointUrl>"
                 "</outboundMessages>"),
        "Workflow/outboundMessages[1]/fullName", "fullName");
  check(workflow(message("Bad Name")), "Workflow/outboundMessages[1]/fullName", "API name");
  check(workflow(message("M", "<includeSessionId>yes</includeSessionId>")),
        "Workflow/outboundMessages[1]/includeSessionId", "true or false");
  check(workflow(message("M", "<fields>Name</fields>")), "Workflow/outboundMessages[1]/fields[3]",
        "repeated");
  check(workflow(message("M", "<fields>a-b</fields>")), "Workflow/outboundMessages[1]/fields[3]",
        "API name");
  check(workflow("<outboundMessages><fullName>M</fullName><endpointUrl>https://x.example.com:"
                 "22/</endpointUrl></outboundMessages>"),
        "Workflow/outboundMessages[1]/endpointUrl", "1024");
  check("<Workflow xmlns=\"urn:other\"/>", "Workflow", "http://soap.sforce.com/2006/04/metadata");
  check("<Workflow", "", "well-formed XML");
}

TEST(definition_workflow, missing_endpoint_of_second_message_names_its_index) {
  std::string xml =
      workflow(message("A") + "<outboundMessages><fullName>B</fullName></outboundMessages>");
  expect_input_error([&] { definition_from_workflow_xml(xml, "Account.workflow-meta.xml", "B"); },
                     "Account.workflow-meta.xml", "Workflow/outboundMessages[2]/endpointUrl");
}

TEST(definition_workflow, whitespace_around_values_is_ignored) {
  definition d = definition_from_workflow_xml(
      workflow("<outboundMessages>\n  <fullName>\n    M\n  </fullName>\n  <endpointUrl> "
               "https://x.example.com/ </endpointUrl>\n  <fields> Phone </fields>\n  "
               "<useDeadLetterQueue>\ttrue\n</useDeadLetterQueue>\n</outboundMessages>\n"),
      "Account.workflow-meta.xml");
  EXPECT_EQ(d.full_name, "M");
  EXPECT_EQ(d.endpoint_url, "https://x.example.com/");
  EXPECT_EQ(d.fields, (std::vector<field>{{"Phone", field_type::string}}));
  EXPECT_TRUE(d.use_dead_letter_queue);
}

TEST(definition_workflow, session_id_over_https_is_kept) {
  definition d = definition_from_workflow_xml(
      workflow(message("M", "<includeSessionId>true</includeSessionId>")),
      "Account.workflow-meta.xml");
  EXPECT_TRUE(d.include_session_id);
}

}  // namespace
}  // namespace outbound::soap
