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

}  // namespace
}  // namespace outbound
