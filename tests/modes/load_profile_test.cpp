#include "modes/load_profile.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/input_error.hpp"

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const fs::path source = OUTBOUND_SOURCE_DIR;

// A profile written into a scratch folder next to a copy of the example account definition.
std::string write_profile(const std::string& text) {
  const fs::path dir =
      fs::temp_directory_path() / ("outbound_profile_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(source / "examples/definitions/account.json", dir / "account.json",
                fs::copy_options::overwrite_existing);
  std::ofstream(dir / "profile.json") << text;
  return (dir / "profile.json").string();
}

// The error a profile gets: file, JSON pointer and what was expected.
input_error refusal(const std::string& text) {
  const auto file = write_profile(text);
  try {
    (void)read_load_profile(file);
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), file);
    return e;
  }
  ADD_FAILURE() << "accepted: " << text;
  return input_error("", "", "");
}

TEST(load_profile, reads_stages_definitions_and_the_rest) {
  const auto p = read_load_profile(write_profile(R"({
    "endpoint": "http://127.0.0.1:8080/",
    "stages": [{"duration": "30s", "to": "500/s"}, {"duration": "1m", "rate": "500/s"},
               {"duration": "10s", "from": 600, "to": "300/s"}],
    "definitions": [{"definition": "account.json", "weight": 3, "batch": {"min": 1, "max": 10}},
                    {"batch": {"choices": [{"size": 1, "weight": 9}, {"size": 100, "weight": 1}]}}],
    "connections": 50, "timeout": "10s", "seed": 7, "thresholds": ["p99<300ms", "errors<1%"]})"));
  ASSERT_EQ(p.stages.size(), 3u);
  EXPECT_EQ(p.stages[0], (load_stage{30s, 0, 500}));  // a first ramp without "from" starts at 0
  EXPECT_EQ(p.stages[1], (load_stage{60s, 500, 500}));
  EXPECT_EQ(p.stages[2], (load_stage{10s, 600, 300}));
  ASSERT_EQ(p.definitions.size(), 2u);
  EXPECT_EQ(p.definitions[0].definition.full_name, "Notify_ERP");
  EXPECT_EQ(p.definitions[0].weight, 3);
  EXPECT_EQ(p.definitions[0].batch, batch_sizes::uniform(1, 10));
  EXPECT_EQ(p.definitions[1].batch.choices.size(), 2u);
  EXPECT_EQ(p.endpoint, "http://127.0.0.1:8080/");
  EXPECT_EQ(p.connections, 50u);
  EXPECT_EQ(p.timeout, 10s);
  EXPECT_EQ(p.seed, 7u);
  ASSERT_EQ(p.thresholds.size(), 2u);
  EXPECT_EQ(p.thresholds[1].text, "errors<1%");
}

// A ramp without "from" continues from the previous stage's rate.
TEST(load_profile, a_ramp_continues_from_the_previous_rate) {
  const auto p = read_load_profile(write_profile(
      R"({"stages": [{"duration": "1m", "rate": "200/s"}, {"duration": "1m", "to": "400/s"}]})"));
  EXPECT_EQ(p.stages[1], (load_stage{60s, 200, 400}));
}

TEST(load_profile, the_shipped_examples_load) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(source / "examples/load")) {
    const auto p = read_load_profile(entry.path().string());
    EXPECT_FALSE(p.stages.empty()) << entry.path();
    EXPECT_FALSE(p.definitions.empty()) << entry.path();
    EXPECT_GT(arrival_plan(p.stages).message_count(), 0u) << entry.path();
    ++n;
  }
  EXPECT_GE(n, 2u);
}

struct bad_case {
  const char* text;
  const char* path;      // the JSON pointer the error must name
  const char* expected;  // a piece of what it says was expected
};

TEST(load_profile, each_bad_field_is_named_with_what_was_expected) {
  const bad_case cases[] = {
      {R"([1, 2])", "/", "object"},
      {R"({"stage": []})", "/stage", "known keys are"},
      {R"({"a/b~c": 1})", "/a~1b~0c", "known keys are"},  // a JSON pointer, escaped
      {R"({"stages": []})", "/stages", "at least one stage"},
      {R"({"stages": [{"rate": "5/s"}]})", "/stages/0/duration", "missing"},
      {R"({"stages": [{"duration": "soon", "rate": "5/s"}]})", "/stages/0/duration", "duration"},
      {R"({"stages": [{"duration": "0s", "rate": "5/s"}]})", "/stages/0/duration", "positive"},
      {R"({"stages": [{"duration": "1s", "rate": "fast"}]})", "/stages/0/rate", "a rate"},
      {R"({"stages": [{"duration": "1s", "rate": -5}]})", "/stages/0/rate", "a rate"},
      {R"({"stages": [{"duration": "1s", "rate": "5/s", "to": "6/s"}]})", "/stages/0", "not both"},
      {R"({"stages": [{"duration": "1s", "from": "5/s"}]})", "/stages/0", "\"to\""},
      {R"({"stages": [{"duration": "1s", "rate": 0}]})", "/stages", "at least one message"},
      {R"({"stages": [{"duration": "1s", "rat": 5}]})", "/stages/0/rat", "known keys"},
      {R"({"definitions": []})", "/definitions", "at least one definition"},
      {R"({"definitions": [{"weight": 0}]})", "/definitions/0/weight", "above 0"},
      {R"({"definitions": [{"batch": 101}]})", "/definitions/0/batch", "1 to 100"},
      {R"({"definitions": [{"batch": {"min": 5, "max": 2}}]})", "/definitions/0/batch/max",
       "at least min"},
      {R"({"definitions": [{"batch": {"choices": []}}]})", "/definitions/0/batch/choices",
       "at least one"},
      {R"({"definitions": [{"batch": {"choices": [{"size": 0, "weight": 1}]}}]})",
       "/definitions/0/batch/choices/0/size", "1 to 100"},
      {R"({"definitions": [{"batch": "ten"}]})", "/definitions/0/batch", "min"},
      {R"({"definitions": [{"message": "X"}]})", "/definitions/0/message", "definition"},
      {R"({"definitions": [{"definition": "account.json", "message": "Other"}]})",
       "/definitions/0/message", "Notify_ERP"},
      {R"({"connections": 0})", "/connections", "1 to 10000"},
      {R"({"timeout": 30})", "/timeout", "duration"},
      {R"({"seed": -1})", "/seed", "non-negative"},
      {R"({"thresholds": ["p99<300"]})", "/thresholds/0", "duration"},
      {R"({"thresholds": "p99<300ms"})", "/thresholds", "array"},
      {R"({"endpoint": 5})", "/endpoint", "string"},
  };
  for (const auto& c : cases) {
    const auto e = refusal(c.text);
    EXPECT_EQ(e.path(), c.path) << c.text << ": " << e.what();
    EXPECT_NE(e.expected().find(c.expected), std::string::npos) << c.text << ": " << e.what();
  }
}

// A definition file that is not there is named by its own path.
TEST(load_profile, a_missing_definition_file_is_named) {
  const auto file = write_profile(R"({"definitions": [{"definition": "nowhere.json"}]})");
  try {
    (void)read_load_profile(file);
    FAIL() << "accepted";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("nowhere.json"), std::string::npos) << e.what();
  }
}

TEST(load_profile, bad_json_and_a_missing_file_are_input_errors) {
  EXPECT_THROW((void)read_load_profile(write_profile("{\"stages\": [")), input_error);
  EXPECT_THROW((void)read_load_profile("/nonexistent/profile.json"), input_error);
}

}  // namespace
}  // namespace outbound::modes
