#include <gtest/gtest.h>

#include <cstdlib>

#include "soap/definition.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"
#include "soap/wsdl.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

bool have_xmllint() {
  return std::system("command -v xmllint >/dev/null 2>&1") == 0;
}

// Runs xmllint --schema on `request` with the WSDL's schemas; "" when it validates, else the log.
std::string schema_errors(const std::string& wsdl, const std::string& request) {
  testing::temp_dir dir;
  for (const schema_file& s : wsdl_schemas(wsdl)) dir.write(s.file_name, s.text);
  auto xml = dir.write("request.xml", request);
  std::string command = "xmllint --noout --schema '" + (dir.path() / "envelope.xsd").string() +
                        "' '" + xml.string() + "' >'" + (dir.path() / "log").string() + "' 2>&1";
  if (std::system(command.c_str()) == 0) return "";
  std::string log = testing::read_text(dir.path() / "log");
  return log.empty() ? "xmllint failed" : log;
}

message account_message(const definition& d, std::size_t count) {
  message m;
  m.header = make_header(d.organization_id, d.action_id, d.api_version);
  for (std::size_t i = 0; i < count; ++i) {
    notification n;
    n.id = make_id("04l", 100 + i);
    n.object.type = d.object;
    n.object.id = make_id("001", 200 + i);
    for (const field& f : d.fields) {
      if (f.type == field_type::string)
        n.object.fields.push_back({f.name, "A & B <" + f.name + ">"});
      else
        n.object.fields.push_back({f.name, std::nullopt});
    }
    m.notifications.push_back(std::move(n));
  }
  return m;
}

TEST(wsdl_schemas, splits_the_reference_wsdl) {
  auto schemas = wsdl_schemas(testing::read_text(testing::reference_dir() / "Account.wsdl"));
  ASSERT_EQ(schemas.size(), 4u);
  EXPECT_EQ(schemas[0].file_name, "envelope.xsd");
  EXPECT_NE(schemas[0].text.find("schemaLocation=\"schema3.xsd\""), std::string::npos);
  EXPECT_NE(schemas[2].text.find("xmlns:ent=\"urn:enterprise.soap.sforce.com\""),
            std::string::npos);
  EXPECT_NE(schemas[3].text.find("schemaLocation=\"schema2.xsd\""), std::string::npos);
  testing::expect_input_error([] { wsdl_schemas("<a/>", "x.wsdl"); }, "x.wsdl", "a");
}

TEST(wsdl_schemas, envelopes_validate_against_the_reference_and_generated_wsdls) {
  if (!have_xmllint()) GTEST_SKIP() << "no xmllint";
  std::string reference = testing::read_text(testing::reference_dir() / "Account.wsdl");
  definition from_wsdl = definition_from_wsdl(reference, "Account.wsdl");
  EXPECT_EQ("", schema_errors(reference, write_envelope(account_message(from_wsdl, 3))));

  definition d = load_definition(testing::reference_dir() / "Account.workflow-meta.xml");
  d.fields.push_back({"OwnerId", field_type::id});
  d.fields.push_back({"NumberOfEmployees", field_type::integer});
  EXPECT_EQ("",
            schema_errors(write_wsdl(d), write_envelope(account_message(d, max_notifications))));
}

TEST(wsdl_schemas, envelopes_that_break_the_schema_do_not_validate) {
  if (!have_xmllint()) GTEST_SKIP() << "no xmllint";
  definition d = load_definition(testing::reference_dir() / "Account.workflow-meta.xml");
  std::string wsdl = write_wsdl(d);
  message m = account_message(d, 2);
  std::swap(m.notifications[0].object.fields[0], m.notifications[0].object.fields[1]);
  EXPECT_NE(schema_errors(wsdl, write_envelope(m)).find("AccountNumber"), std::string::npos);
  m = account_message(d, 2);
  m.notifications[1].object.fields.push_back({"Unknown__c", "x"});
  EXPECT_NE(schema_errors(wsdl, write_envelope(m)).find("Unknown__c"), std::string::npos);
  std::string body = write_envelope(account_message(d, 1));
  body.replace(body.find("<Notification>"), 14, "<Notice>");
  body.replace(body.find("</Notification>"), 15, "</Notice>");
  EXPECT_NE(schema_errors(wsdl, body).find("Notice"), std::string::npos);
}

}  // namespace
}  // namespace outbound::soap
