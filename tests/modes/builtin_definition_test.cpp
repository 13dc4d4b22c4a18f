#include "modes/builtin_definition.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "soap/ids.hpp"

namespace outbound::modes {
namespace {

TEST(builtin_account_definition, is_a_valid_account_message_like_notify_erp) {
  const auto d = builtin_account_definition();
  EXPECT_EQ(d.object, "Account");
  EXPECT_EQ(d.full_name, "Notify_ERP");
  ASSERT_EQ(d.fields.size(), 6u);
  EXPECT_EQ(d.fields.back().name, "Name");
  EXPECT_TRUE(soap::is_valid_id(d.organization_id));
  EXPECT_EQ(d.organization_id.substr(0, 3), "00D");
  EXPECT_EQ(d.action_id.substr(0, 3), "04k");
  // It reads back through the project's JSON form unchanged.
  EXPECT_EQ(soap::definition_from_json(soap::to_json(d), "builtin"), d);
}

}  // namespace
}  // namespace outbound::modes
