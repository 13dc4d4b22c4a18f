// The foundation's command-line contract: envelopes that validate against their WSDL, and exit 2
// with a message naming the problem for bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/cli/run_outbound.hpp"

namespace outbound::testing {
namespace {

namespace fs = std::filesystem;

// The real Salesforce files: a generated WSDL and a retrieved workflow, and a captured request.
const std::string reference = source_path("examples/definitions/");
const std::string sample_request =
    source_path("tests/soap/data/reference_sample_opportunity_request.xml");

class soap_commands : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(reference + "Account.wsdl")) << reference << " lacks Account.wsdl";
    dir_ = fs::temp_directory_path() / ("outbound_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string save(const std::string& name, const std::string& arguments) {
    const auto path = (dir_ / name).string();
    const auto r = run_outbound(arguments + " > " + path);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return path;
  }
  run_result validate(const std::string& wsdl, const std::string& envelope) {
    return run_shell(source_path("scripts/validate-envelope") + " " + wsdl + " " + envelope);
  }

  fs::path dir_;
};

TEST_F(soap_commands, hundred_notifications_from_the_reference_wsdl_validate_against_it) {
  const auto envelope = save(
      "envelope.xml", "envelope --definition " + reference + "Account.wsdl --notifications 100");
  const auto r = validate(reference + "Account.wsdl", envelope);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(soap_commands, workflow_envelope_validates_against_the_wsdl_made_from_it) {
  const auto definition = reference + "Account.workflow-meta.xml";
  const auto wsdl = save("generated.wsdl", "wsdl --definition " + definition);
  const auto envelope =
      save("envelope.xml", "envelope --definition " + definition + " --notifications 7 --seed 3");
  const auto r = validate(wsdl, envelope);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(soap_commands, a_corrupted_envelope_does_not_validate) {
  const auto envelope =
      save("envelope.xml", "envelope --definition " + reference + "Account.wsdl --notifications 2");
  std::ifstream in(envelope);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = text.find("<ActionId>");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "<Unexpected>1</Unexpected>");
  const auto r = validate(reference + "Account.wsdl", write("bad.xml", text));
  EXPECT_EQ(r.exit_code, 1) << r.output;
}

TEST_F(soap_commands, the_same_seed_prints_the_same_envelope) {
  const auto a = run_outbound("envelope --definition " + reference + "Account.wsdl --seed 9");
  const auto b = run_outbound("envelope --definition " + reference + "Account.wsdl --seed 9");
  EXPECT_EQ(a.output, b.output);
}

TEST_F(soap_commands, more_than_a_hundred_notifications_is_bad_usage) {
  const auto r =
      run_outbound("envelope --definition " + reference + "Account.wsdl --notifications 101");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--notifications"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 to 100"), std::string::npos) << r.output;
}

TEST_F(soap_commands, a_malformed_definition_names_the_file_and_field) {
  const auto file = write("broken.json", R"({"full_name": "X", "object": "Account",
    "fields": ["Name"], "endpoint_url": "ftp://example.com/"})");
  const auto r = run_outbound("wsdl --definition " + file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("broken.json"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("endpoint_url"), std::string::npos) << r.output;
}

TEST_F(soap_commands, a_missing_definition_file_is_bad_input) {
  const auto r = run_outbound("envelope --definition " + (dir_ / "absent.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("absent.json"), std::string::npos) << r.output;
}

TEST_F(soap_commands, parse_prints_the_reference_request_as_json) {
  const auto r = run_outbound("parse " + sample_request);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"04lV0000001ALshIAG\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"session_id\": null"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Billing_Contact_Email__c"), std::string::npos) << r.output;
}

TEST_F(soap_commands, parse_rejects_garbage_with_exit_2) {
  const auto r = run_outbound("parse " + write("garbage.xml", "<html>502 Bad Gateway</html>"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("garbage.xml"), std::string::npos) << r.output;
}

// Invalid UTF-8 in a field made the JSON writer throw (exit 3); it is replaced with U+FFFD.
TEST_F(soap_commands, parse_prints_invalid_utf8_as_replacement_characters) {
  std::ifstream in(source_path("tests/soap/data/reference_sample_opportunity_request.xml"));
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  text.replace(text.find("Test email value"), 16, "Test \xFF\xC3 value");
  const auto r = run_outbound("parse " + write("bytes.xml", text));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Test \xEF\xBF\xBD\xEF\xBF\xBD value"), std::string::npos) << r.output;
}

TEST_F(soap_commands, parse_names_a_directory_or_a_dtd) {
  auto r = run_outbound("parse " + dir_.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("is a directory"), std::string::npos) << r.output;
  r = run_outbound("parse " + write("dtd.xml", "<!DOCTYPE x><x/>"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("DOCTYPE"), std::string::npos) << r.output;
}

TEST(cli, version_and_help) {
  EXPECT_EQ(run_outbound("--version").exit_code, 0);
  const auto help = run_outbound("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("envelope"), std::string::npos);
  EXPECT_EQ(run_outbound("no-such-command").exit_code, 2);
}

}  // namespace
}  // namespace outbound::testing
