// The options every subcommand shares: numbers in range (never wrapped round), a --message that
// must name a message of the definition, values shortened in messages.
#include <gtest/gtest.h>

#include "tests/cli/run_outbound.hpp"

namespace outbound::testing {
namespace {

const std::string account_json = source_path("examples/definitions/account.json");
const std::string account_wsdl = source_path("examples/definitions/Account.wsdl");
const std::string account_workflow = source_path("examples/definitions/Account.workflow-meta.xml");

void expect_refused(const std::string& arguments, const std::vector<std::string>& words) {
  const auto r = run_outbound(arguments);
  EXPECT_EQ(r.exit_code, 2) << arguments << "\n" << r.output;
  for (const auto& w : words)
    EXPECT_NE(r.output.find(w), std::string::npos) << arguments << ": " << w << "\n" << r.output;
}

TEST(options, negative_numbers_never_wrap_round) {
  expect_refused("status --limit -1", {"--limit", "0 to 10000000", "\"-1\""});
  expect_refused("run scenario.json --seed -5", {"--seed", "\"-5\""});
  expect_refused("envelope --definition " + account_json + " --notifications -1",
                 {"--notifications", "1 to 100"});
  expect_refused("envelope --definition " + account_json + " --seed -1", {"--seed"});
  expect_refused("load --endpoint http://127.0.0.1:1/ --rate 1/s --duration 1s --batch -1",
                 {"--batch", "1 to 100"});
  expect_refused("check --endpoint http://127.0.0.1:1/ --seed -1", {"--seed"});
}

TEST(options, numbers_out_of_range_are_refused) {
  expect_refused(
      "load --endpoint http://127.0.0.1:1/ --rate 1/s --duration 1s "
      "--connections 100000000",
      {"--connections", "1 to 10000"});
  expect_refused("load --endpoint http://127.0.0.1:1/ --rate 1/s --duration 1s --connections 0",
                 {"--connections"});
  expect_refused("load --endpoint http://127.0.0.1:1/ --rate 1/s --duration 1s --batch 101",
                 {"--batch"});
  expect_refused("envelope --definition " + account_json + " --notifications 101",
                 {"--notifications", "1 to 100"});
  expect_refused("status --limit 99999999999999999999999", {"--limit"});
  expect_refused("run scenario.json --seed 18446744073709551616", {"--seed"});
}

TEST(options, only_plain_decimal_numbers_are_numbers) {
  expect_refused("status --limit 1e3", {"--limit"});
  expect_refused("status --limit 0x10", {"--limit"});
  expect_refused("status --limit +5", {"--limit"});
  expect_refused("status --limit ' 5'", {"--limit"});
  // A leading zero is decimal, not octal: 010 notifications are ten.
  const auto r = run_outbound("envelope --definition " + account_json + " --notifications 010");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::size_t count = 0;
  for (auto at = r.output.find("<Notification>"); at != std::string::npos;
       at = r.output.find("<Notification>", at + 1))
    ++count;
  EXPECT_EQ(count, 10u);
}

TEST(options, a_huge_value_is_shortened_in_the_message) {
  const auto r = run_outbound("status --limit " + std::string(100000, '9'));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_LT(r.output.size(), 2000u) << r.output.substr(0, 300);
  EXPECT_NE(r.output.find("100000 characters"), std::string::npos) << r.output.substr(0, 300);
}

TEST(options, a_message_the_definition_lacks_is_exit_2_listing_its_messages) {
  expect_refused("wsdl --definition " + account_json + " --message Nope",
                 {"--message", "Nope", "Notify_ERP"});
  expect_refused("wsdl --definition " + account_workflow + " --message Nope",
                 {"Nope", "Notify_ERP"});
  expect_refused("envelope --definition " + account_wsdl + " --message Nope", {"--message"});
  expect_refused(
      "check --endpoint http://127.0.0.1:1/ --definition " + account_json + " --message Nope",
      {"--message", "Notify_ERP"});
  expect_refused("load --endpoint http://127.0.0.1:1/ --rate 1/s --duration 1s --definition " +
                     account_json + " --message Nope",
                 {"--message", "Notify_ERP"});
}

TEST(options, the_message_a_definition_holds_is_accepted) {
  EXPECT_EQ(run_outbound("wsdl --definition " + account_json + " --message Notify_ERP").exit_code,
            0);
  EXPECT_EQ(
      run_outbound("wsdl --definition " + account_workflow + " --message Notify_ERP").exit_code, 0);
}

TEST(options, a_ca_file_that_is_missing_or_not_pem_is_exit_2) {
  expect_refused(
      "load --endpoint https://127.0.0.1:1/ --rate 1/s --duration 1s --ca-file "
      "/nonexistent/ca.pem",
      {"--ca-file", "does not exist"});
  expect_refused("check --endpoint https://127.0.0.1:1/ --ca-file " + account_json,
                 {"--ca-file", "PEM"});
}

}  // namespace
}  // namespace outbound::testing
