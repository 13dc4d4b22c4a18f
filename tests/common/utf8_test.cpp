#include "common/utf8.hpp"

#include <gtest/gtest.h>

namespace outbound {
namespace {

TEST(utf8, prefix_never_ends_inside_a_character) {
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("caf\xC3\xA9", 4), "caf");          // é cut after its lead byte
  EXPECT_EQ(utf8_prefix("caf\xC3\xA9", 5), "caf\xC3\xA9");  // fits whole
  EXPECT_EQ(utf8_prefix("\xE2\x82\xAC\xE2\x82\xAC", 5), "\xE2\x82\xAC");  // two euro signs
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80", 3), "");
}

TEST(utf8, prefix_of_invalid_bytes_still_stops_at_the_limit) {
  const std::string continuation(100, '\x80');  // no lead byte at all
  EXPECT_LE(utf8_prefix(continuation, 64).size(), 64u);
  EXPECT_EQ(utf8_prefix("\xFF\xFF\xFF", 2), "\xFF\xFF");
}

}  // namespace
}  // namespace outbound
