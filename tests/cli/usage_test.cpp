// Unknown subcommands and options: exit 2 naming the word, with the closest known name.
#include <gtest/gtest.h>

#include "tests/cli/run_outbound.hpp"

namespace outbound::testing {
namespace {

void expect_usage_error(const std::string& arguments, const std::vector<std::string>& words) {
  const auto r = run_outbound(arguments);
  EXPECT_EQ(r.exit_code, 2) << arguments << "\n" << r.output;
  EXPECT_EQ(r.output.find("A subcommand is required"), std::string::npos) << r.output;
  for (const auto& w : words) EXPECT_NE(r.output.find(w), std::string::npos) << w << r.output;
}

TEST(usage, an_unknown_command_is_named_with_the_list_of_commands) {
  expect_usage_error("frobnicate", {"unknown command \"frobnicate\"", "mock", "send", "status"});
}

TEST(usage, a_misspelt_command_gets_a_suggestion) {
  expect_usage_error("mokc --listen 127.0.0.1:0", {"\"mokc\"", "did you mean mock?"});
  expect_usage_error("stauts", {"did you mean status?"});
  expect_usage_error("report rendr x.json --out o", {"`outbound report`", "did you mean render?"});
}

TEST(usage, an_unknown_option_is_named) {
  expect_usage_error("--bogus", {"unknown option --bogus", "a COMMAND comes first", "mock"});
  expect_usage_error("--verison", {"did you mean --version?"});
}

TEST(usage, a_misspelt_option_of_a_subcommand_gets_a_suggestion) {
  expect_usage_error("mock --lisen 127.0.0.1:0", {"--lisen", "`outbound mock`", "--listen?"});
  expect_usage_error("status --limt=3", {"--limt", "`outbound status`", "--limit?"});
  expect_usage_error("mock --seed 3 --bodylimit 9", {"did you mean --body-limit?"});
  expect_usage_error("wsdl --definition x.json --zzzzzz", {"--zzzzzz", "outbound wsdl --help"});
}

TEST(usage, the_help_named_after_an_error_is_the_subcommand_s_own) {
  expect_usage_error("mock --listen", {"Run `outbound mock --help`"});
  expect_usage_error("report render", {"Run `outbound report render --help`"});
  expect_usage_error("frobnicate", {"Run `outbound --help`"});
}

TEST(usage, values_of_options_are_not_taken_for_commands) {
  // "-1" is the value of --limit (refused as a number), not an unknown option.
  const auto r = run_outbound("status --limit -1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output.find("unknown"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--limit"), std::string::npos) << r.output;
}

// Every subcommand's --help says what its options take and ends with an example.
TEST(usage, every_help_has_placeholders_and_an_example) {
  for (const std::string command :
       {"wsdl", "envelope", "parse", "mock", "mock-ctl", "run", "report", "report render",
        "report merge", "send", "status", "retry", "delete", "definitions", "load", "check"}) {
    const auto r = run_outbound(command + " --help");
    EXPECT_EQ(r.exit_code, 0) << command << r.output;
    EXPECT_EQ(r.output.find(" TEXT"), std::string::npos) << command << r.output;
    EXPECT_EQ(r.output.find(" UINT"), std::string::npos) << command << r.output;
    EXPECT_EQ(r.output.find(" INT"), std::string::npos) << command << r.output;
    const auto example = r.output.rfind("Example:\n  outbound " + command.substr(0, 6));
    EXPECT_NE(example, std::string::npos) << command << r.output;
  }
  const auto mock = run_outbound("mock --help").output;
  for (const std::string placeholder : {"HOST:PORT", "FILE", "PEM", "BYTES", "NAME"})
    EXPECT_NE(mock.find(placeholder), std::string::npos) << placeholder << mock;
  const auto load = run_outbound("load --help").output;
  for (const std::string placeholder : {"URL", "DURATION", " N "})
    EXPECT_NE(load.find(placeholder), std::string::npos) << placeholder << load;
}

}  // namespace
}  // namespace outbound::testing
