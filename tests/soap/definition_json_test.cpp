#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "soap/definition.hpp"
#include "soap/ids.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

using nlohmann::json;
using testing::expect_input_error;

json minimal() {
  return json{{"full_name", "Notify_ERP"},
              {"object", "Account"},
              {"fields", {"Name", {{"name", "AnnualRevenue"}, {"type", "double"}}}},
              {"endpoint_url", "https://erp.example.com/notify"}};
}

TEST(definition_json, reads_minimal_with_defaults_and_derived_ids) {
  definition d = definition_from_json(minimal(), "d.json");
  EXPECT_EQ(d.full_name, "Notify_ERP");
  EXPECT_EQ(d.name, "Notify_ERP");
  EXPECT_EQ(d.object, "Account");
  ASSERT_EQ(d.fields.size(), 2u);
  EXPECT_EQ(d.fields[0], (field{"Name", field_type::string}));
  EXPECT_EQ(d.fields[1], (field{"AnnualRevenue", field_type::number}));
  EXPECT_EQ(d.api_version, "59.0");
  EXPECT_FALSE(d.include_session_id);
  EXPECT_TRUE(is_valid_id(d.organization_id));
  EXPECT_EQ(d.organization_id.size(), 18u);
  EXPECT_TRUE(d.organization_id.starts_with("00D"));
  EXPECT_TRUE(d.action_id.starts_with("04k"));
  EXPECT_EQ(d.action_id.size(), 18u);
  // Derived ids depend on full_name only: stable, and different per definition.
  EXPECT_EQ(definition_from_json(minimal(), "other.json"), d);
  json other = minimal();
  other["full_name"] = "Notify_CRM";
  EXPECT_NE(definition_from_json(other, "d.json").action_id, d.action_id);
}

TEST(definition_json, string_fields_get_well_known_types_and_id_is_dropped) {
  json j = minimal();
  j["fields"] = {"Id", "OwnerId", "IsDeleted", "CreatedDate", "CloseDate", "Custom__c"};
  definition d = definition_from_json(j, "d.json");
  std::vector<field> expected{{"OwnerId", field_type::id},
                              {"IsDeleted", field_type::boolean},
                              {"CreatedDate", field_type::datetime},
                              {"CloseDate", field_type::date},
                              {"Custom__c", field_type::string}};
  EXPECT_EQ(d.fields, expected);
}

TEST(definition_json, given_ids_are_checked_and_stored_as_18) {
  json j = minimal();
  std::string org = make_id("00D", 77), action = make_id("04k", 78);
  j["organization_id"] = org.substr(0, 15);
  j["action_id"] = action;
  definition d = definition_from_json(j, "d.json");
  EXPECT_EQ(d.organization_id, org);
  EXPECT_EQ(d.action_id, action);
}

TEST(definition_json, round_trips_every_key) {
  json j = minimal();
  j["name"] = "Notify ERP";
  j["description"] = "Sends <accounts> & \"more\"";
  j["include_session_id"] = true;
  j["use_dead_letter_queue"] = true;
  j["api_version"] = "61.0";
  j["integration_user"] = "integration@example.com";
  definition d = definition_from_json(j, "d.json");
  EXPECT_TRUE(d.include_session_id);
  EXPECT_EQ(d.integration_user, "integration@example.com");
  json back = to_json(d);
  EXPECT_EQ(back["fields"][0], (json{{"name", "Name"}, {"type", "string"}}));
  EXPECT_EQ(definition_from_json(back, "back.json"), d);
  EXPECT_EQ(to_json(definition_from_json(back, "back.json")), back);
}

struct bad_case {
  const char* name;
  std::function<void(json&)> change;
  std::string path;
  std::string mentions;
};

TEST(definition_json, each_bad_input_names_its_path_and_what_was_expected) {
  std::vector<bad_case> cases{
      {"unknown key", [](json& j) { j["endpoint"] = "x"; }, "/definitions/0/endpoint",
       "known keys"},
      {"missing full_name", [](json& j) { j.erase("full_name"); }, "/definitions/0/full_name",
       "required"},
      {"full_name with space", [](json& j) { j["full_name"] = "Notify ERP"; },
       "/definitions/0/full_name", "API name"},
      {"object not string", [](json& j) { j["object"] = 3; }, "/definitions/0/object", "API name"},
      {"missing fields", [](json& j) { j.erase("fields"); }, "/definitions/0/fields", "required"},
      {"fields not array", [](json& j) { j["fields"] = "Name"; }, "/definitions/0/fields", "array"},
      {"field number", [](json& j) { j["fields"].push_back(5); }, "/definitions/0/fields/2",
       "field"},
      {"bad field type",
       [](json& j) {
         j["fields"].push_back({{"name", "X"}, {"type", "text"}});
       },
       "/definitions/0/fields/2/type", "dateTime"},
      {"field key",
       [](json& j) {
         j["fields"].push_back({{"name", "X"}, {"kind", "string"}});
       },
       "/definitions/0/fields/2/kind", "name, type"},
      {"field without name",
       [](json& j) {
         j["fields"].push_back({{"type", "int"}});
       },
       "/definitions/0/fields/2/name", "name"},
      {"field bad name", [](json& j) { j["fields"].push_back("Billing City"); },
       "/definitions/0/fields/2", "API name"},
      {"repeated field", [](json& j) { j["fields"].push_back("Name"); }, "/definitions/0/fields/2",
       "repeated"},
      {"missing endpoint", [](json& j) { j.erase("endpoint_url"); }, "/definitions/0/endpoint_url",
       "required"},
      {"ftp endpoint", [](json& j) { j["endpoint_url"] = "ftp://x.example.com/"; },
       "/definitions/0/endpoint_url", "http or https"},
      {"session over http",
       [](json& j) {
         j["endpoint_url"] = "http://x.example.com/";
         j["include_session_id"] = true;
       },
       "/definitions/0/endpoint_url", "session id"},
      {"flag as string", [](json& j) { j["use_dead_letter_queue"] = "yes"; },
       "/definitions/0/use_dead_letter_queue", "true or false"},
      {"api version number", [](json& j) { j["api_version"] = 59.0; }, "/definitions/0/api_version",
       "59.0"},
      {"api version text", [](json& j) { j["api_version"] = "v59"; }, "/definitions/0/api_version",
       "59.0"},
      {"bad org id", [](json& j) { j["organization_id"] = "00Dshort"; },
       "/definitions/0/organization_id", "00D"},
      {"action id of wrong prefix", [](json& j) { j["action_id"] = make_id("001", 5); },
       "/definitions/0/action_id", "04k"},
      {"bad checksum", [](json& j) { j["action_id"] = make_id("04k", 5).substr(0, 15) + "ZZZ"; },
       "/definitions/0/action_id", "04k"},
      {"key with slash", [](json& j) { j["a/b"] = 1; }, "/definitions/0/a~1b", "known keys"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    json j = minimal();
    c.change(j);
    std::string message =
        expect_input_error([&] { definition_from_json(j, "scenario.json", "/definitions/0"); },
                           "scenario.json", c.path);
    EXPECT_NE(message.find(c.mentions), std::string::npos) << message;
  }
  expect_input_error([] { definition_from_json(json::array(), "d.json"); }, "d.json", "/");
}

}  // namespace
}  // namespace outbound::soap

namespace outbound::soap {
namespace {

TEST(definition_json, the_documented_example_loads) {
  std::string doc =
      testing::read_text(std::filesystem::path(OUTBOUND_SOURCE_DIR) / "docs" / "definitions.md");
  auto start = doc.find("```json\n");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  auto end = doc.find("```", start);
  definition d = definition_from_json(nlohmann::json::parse(doc.substr(start, end - start)),
                                      "docs/definitions.md");
  EXPECT_EQ(d.organization_id, "00D5g00000ABCdeEAH");
  EXPECT_EQ(d.fields.back(), (field{"AnnualRevenue", field_type::number}));
  EXPECT_EQ(to_json(d)["action_id"], "04k5g0000000001AAA");
}

}  // namespace
}  // namespace outbound::soap
