#include "common/json_text.hpp"

#include <gtest/gtest.h>

#include "common/input_error.hpp"

namespace outbound {
namespace {

using nlohmann::json;

TEST(json_text, dump_replaces_invalid_utf8_instead_of_throwing) {
  json j;
  for (int b = 0; b < 256; ++b) j.push_back(std::string("/") + static_cast<char>(b));
  const std::string text = dump_json(j);
  const json back = json::parse(text);     // valid UTF-8 and valid JSON
  EXPECT_EQ(back[0xff], "/\xEF\xBF\xBD");  // U+FFFD
  EXPECT_EQ(back['a'], "/a");
  EXPECT_EQ(dump_json(json{{"a", 1}}, 2), "{\n  \"a\": 1\n}");
}

TEST(json_text, parse_turns_every_library_error_into_an_input_error) {
  EXPECT_EQ(parse_json("{\"a\": 1}", "f.json")["a"], 1);
  for (auto bad : {"", "{", "[1e999]", "{\"a\": -1e400}", "nul", "\"\xFF\""}) {
    try {
      (void)parse_json(bad, "f.json");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const input_error& e) {
      EXPECT_EQ(e.file(), "f.json");
      EXPECT_NE(e.expected().find("valid JSON"), std::string::npos) << e.what();
    }
  }
}

TEST(json_text, parse_errors_do_not_echo_a_huge_token) {
  const std::string huge = "\"" + std::string(1'000'000, 'x');  // unterminated string
  try {
    (void)parse_json(huge, "f.json");
    FAIL();
  } catch (const input_error& e) {
    EXPECT_LT(std::string(e.what()).size(), 400u) << e.what();
  }
}

TEST(json_text, guarded_reader_turns_library_exceptions_into_input_errors) {
  const json j = {{"n", "text"}};
  EXPECT_EQ(read_json_guarded("f.json", [&] { return j.at("n").get<std::string>(); }), "text");
  EXPECT_THROW((void)read_json_guarded("f.json", [&] { return j.at("n").get<int>(); }),
               input_error);
  EXPECT_THROW((void)read_json_guarded("f.json", [&] { return j.at("missing").dump(); }),
               input_error);
}

}  // namespace
}  // namespace outbound
