#include <gtest/gtest.h>

#include "common/random.hpp"
#include "soap/definition.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

using testing::expect_input_error;

TEST(load_definition, detects_the_format_by_content_not_extension) {
  testing::temp_dir dir;
  auto json =
      dir.write("Account.workflow-meta.xml",
                "\xEF\xBB\xBF \n" + testing::read_text(testing::examples_dir() / "account.json"));
  EXPECT_EQ(load_definition(json).full_name, "Notify_ERP");
  auto wsdl = dir.write("wsdl.json", testing::read_text(testing::reference_dir() / "Account.wsdl"));
  EXPECT_EQ(load_definition(wsdl).full_name, "AccountNotification");
  auto workflow =
      dir.write("Account.workflow-meta.xml",
                testing::read_text(testing::reference_dir() / "Account.workflow-meta.xml"));
  EXPECT_EQ(load_definition(workflow).object, "Account");
}

TEST(load_definition, bad_files_are_named) {
  testing::temp_dir dir;
  auto missing = dir.path() / "missing.json";
  expect_input_error([&] { load_definition(missing); }, missing.string(), "");
  expect_input_error([&] { load_definition(dir.path()); }, dir.path().string(), "");
  auto empty = dir.write("empty.json", "  \n");
  expect_input_error([&] { load_definition(empty); }, empty.string(), "");
  auto text = dir.write("text.txt", "full_name: x");
  std::string message = expect_input_error([&] { load_definition(text); }, text.string(), "");
  EXPECT_NE(message.find("workflow-meta.xml"), std::string::npos);
  auto bad_json = dir.write("bad.json", "{\"full_name\": ");
  message = expect_input_error([&] { load_definition(bad_json); }, bad_json.string(), "");
  EXPECT_NE(message.find("valid JSON"), std::string::npos);
  auto bad_xml = dir.write("bad.xml", "<Workflow><a></Workflow>");
  message = expect_input_error([&] { load_definition(bad_xml); }, bad_xml.string(), "");
  EXPECT_NE(message.find("well-formed XML"), std::string::npos);
  auto other_xml = dir.write("other.xml", "<Envelope xmlns='urn:x'/>");
  message = expect_input_error([&] { load_definition(other_xml); }, other_xml.string(), "Envelope");
  EXPECT_NE(message.find("root element"), std::string::npos);
  auto bad_field = dir.write("field.json", R"({"full_name": "A", "object": "Account",
      "fields": ["Name", "Phone", {"name": "X", "type": "money"}], "endpoint_url": "https://h"})");
  expect_input_error([&] { load_definition(bad_field); }, bad_field.string(), "/fields/2/type");
}

// Numbers out of range and values of the wrong type were library exceptions (exit 3).
TEST(load_definition, json_library_errors_are_input_errors) {
  testing::temp_dir dir;
  const std::string base = R"({"full_name": "A", "object": "Account", "fields": ["Name"], )";
  for (const std::string tail :
       {R"("endpoint_url": "https://h", "api_version": 1e999})", R"("endpoint_url": -1e400})",
        R"("endpoint_url": "https://h\uD800"})", "\"endpoint_url\": \"https://h\xFF\"}"}) {
    auto file = dir.write("d.json", base + tail);
    expect_input_error([&] { load_definition(file); }, file.string(), "");
  }
  auto dev = std::filesystem::path("/dev/zero");
  if (std::filesystem::exists(dev))
    expect_input_error([&] { load_definition(dev); }, dev.string(), "");
}

// A 10 MB value is quoted shortened, never echoed whole to the terminal.
TEST(load_definition, long_values_are_shortened_in_errors) {
  testing::temp_dir dir;
  const std::string huge(10'000'000, 'x');
  const std::string head = R"({"full_name": "A", "object": "Account", )";
  const std::pair<std::string, std::string> cases[] = {
      {head + R"("fields": ["Name"], "endpoint_url": ")" + huge + "\"}", "/endpoint_url"},
      {head + R"("fields": ["Name", "1)" + huge + R"("], "endpoint_url": "https://h"})",
       "/fields/1"},
      {head + R"("fields": ["Name"], "api_version": ")" + huge +
           R"(", "endpoint_url": "https://h"})",
       "/api_version"}};
  for (const auto& [text, path] : cases) {
    auto file = dir.write("d.json", text);
    const std::string message =
        expect_input_error([&] { load_definition(file); }, file.string(), path);
    EXPECT_LT(message.size(), 1000u) << message.substr(0, 300);
    EXPECT_NE(message.find(" bytes)"), std::string::npos) << message.substr(0, 300);
  }
}

// Mangled copies of the three reference sources load or fail with input_error, never otherwise.
TEST(load_definition, mangled_files_give_input_errors_only) {
  testing::temp_dir dir;
  std::vector<std::pair<std::string, std::string>> sources{
      {"account.json", testing::read_text(testing::examples_dir() / "account.json")},
      {"Account.workflow-meta.xml",
       testing::read_text(testing::reference_dir() / "Account.workflow-meta.xml")},
      {"Account.wsdl", testing::read_text(testing::reference_dir() / "Account.wsdl")}};
  random rng(7);
  int loaded = 0, rejected = 0;
  for (int i = 0; i < 300; ++i) {
    auto [name, text] = sources[i % sources.size()];
    for (int edits = 1 + static_cast<int>(rng.below(3)); edits > 0; --edits) {
      std::size_t at = rng.below(text.size());
      std::size_t length = 1 + rng.below(12);
      switch (rng.below(3)) {
        case 0:
          text.erase(at, length);
          break;
        case 1:
          text.insert(at, text.substr(rng.below(text.size()), length));
          break;
        default:
          text[at] = "<>&\"'{}[]:,/x0 "[rng.below(16)];
      }
    }
    auto file = dir.write(name, text);
    try {
      load_definition(file);
      ++loaded;
    } catch (const input_error& e) {
      EXPECT_EQ(e.file(), file.string());
      ++rejected;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not an input_error: " << e.what() << "\n" << text;
    }
  }
  EXPECT_GT(loaded, 0);
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace outbound::soap
