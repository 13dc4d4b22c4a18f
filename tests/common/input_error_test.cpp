#include "common/input_error.hpp"

#include <gtest/gtest.h>

namespace outbound {
namespace {

TEST(input_error, names_file_path_and_expectation) {
  const input_error e("scenario.json", "/faults/0/after", "a duration such as 90s");
  EXPECT_STREQ(e.what(), "scenario.json: /faults/0/after: a duration such as 90s");
  EXPECT_EQ(e.path(), "/faults/0/after");
  EXPECT_STREQ(input_error("", "", "x").what(), "input: x");
}

TEST(input_error, shortens_long_values_at_a_character_boundary) {
  EXPECT_EQ(shorten_value("short"), "short");
  const std::string long_value(10'000'000, 'x');
  EXPECT_EQ(shorten_value(long_value), std::string(60, 'x') + "\xE2\x80\xA6 (10000000 bytes)");
  // 59 ASCII bytes, then a 2-byte character straddling the cut at 60: it is left out whole.
  const std::string straddling = std::string(59, 'a') + "\xC3\xA9" + std::string(10, 'b');
  EXPECT_EQ(shorten_value(straddling), std::string(59, 'a') + "\xE2\x80\xA6 (71 bytes)");
}

}  // namespace
}  // namespace outbound
