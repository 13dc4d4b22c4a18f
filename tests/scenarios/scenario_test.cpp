#include "scenarios/scenario.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "common/input_error.hpp"

namespace outbound::scenarios {
namespace {

using nlohmann::json;

const std::filesystem::path library_dir =
    std::filesystem::path(OUTBOUND_SOURCE_DIR) / "scenarios" / "library";

json minimal() {
  return json::parse(R"({
    "name": "t",
    "duration": "1h",
    "endpoints": [{"name": "erp", "path": "/erp", "faults": [{"kind": "refuse", "after": "10m", "for": "20m"}]}],
    "definitions": [{
      "definition": {"full_name": "Notify_ERP", "object": "Account", "fields": ["Name"],
                     "endpoint_url": "https://erp.example.com/erp"},
      "endpoint": "erp",
      "workload": {"records": 10, "changes": [{"kind": "constant", "rate": "60/h"}]}
    }],
    "expectations": {"nothing_lost": true, "delivered": {"min": 50}}
  })");
}

// The error's file, JSON pointer and a piece of what was expected.
void expect_error(const json& j, const std::string& path, const std::string& expected_part) {
  try {
    scenario_from_json(j, "s.json");
    FAIL() << "no error for " << path;
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "s.json");
    EXPECT_EQ(e.path(), path) << e.what();
    EXPECT_NE(e.expected().find(expected_part), std::string::npos) << e.what();
  }
}

TEST(scenario, reads_a_minimal_scenario_with_defaults) {
  const scenario s = scenario_from_json(minimal(), "s.json");
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.clock, clock_kind::virtual_time);
  EXPECT_EQ(s.start, default_start());
  EXPECT_EQ(format_timestamp(s.start), "2026-01-05T08:00:00.000Z");
  EXPECT_EQ(s.length, std::chrono::hours(1));
  EXPECT_EQ(s.run_until, std::chrono::hours(27));
  EXPECT_EQ(s.delivery.batch_size, 100u);
  EXPECT_EQ(s.delivery.timeout, std::chrono::seconds(60));
  EXPECT_EQ(s.delivery.retry, "salesforce");
  ASSERT_EQ(s.endpoints.size(), 1u);
  EXPECT_EQ(s.endpoints[0].recovery, std::chrono::minutes(30));
  ASSERT_EQ(s.definitions.size(), 1u);
  EXPECT_EQ(s.definitions[0].definition.full_name, "Notify_ERP");
  EXPECT_EQ(s.definitions[0].work.records, 10u);
  ASSERT_EQ(s.definitions[0].work.changes.size(), 1u);
  EXPECT_DOUBLE_EQ(s.definitions[0].work.changes[0].rate, 1.0 / 60);
  ASSERT_EQ(s.expectations.size(), 2u);
  EXPECT_EQ(s.expectations[0].what, expectation::kind::nothing_lost);
  EXPECT_EQ(s.expectations[1].name, "delivered");
  EXPECT_EQ(s.expectations[1].range.min, 50u);
  EXPECT_EQ(s.expectations[1].path, "/expectations/delivered");
}

TEST(scenario, open_ended_faults_do_not_move_the_recovery) {
  json j = minimal();
  j["endpoints"][0]["faults"].push_back({{"kind", "delay"}, {"value", "1s"}});
  EXPECT_EQ(scenario_from_json(j, "s.json").endpoints[0].recovery, std::chrono::minutes(30));
}

TEST(scenario, names_unknown_keys_with_their_path) {
  json j = minimal();
  j["colour"] = "blue";
  expect_error(j, "/colour", "no such key");
  j = minimal();
  j["definitions"][0]["workload"]["changes"][0]["speed"] = 1;
  expect_error(j, "/definitions/0/workload/changes/0/speed", "no such key");
  j = minimal();
  j["expectations"]["everything_fine"] = true;
  expect_error(j, "/expectations/everything_fine", "no such key");
}

TEST(scenario, names_wrong_types_with_their_path) {
  json j = minimal();
  j["seed"] = "42";
  expect_error(j, "/seed", "a whole number");
  j = minimal();
  j["duration"] = 3600;
  expect_error(j, "/duration", "a duration");
  j = minimal();
  j["clock"] = "wall";
  expect_error(j, "/clock", "\"real\" or \"virtual\"");
  j = minimal();
  j["delivery"] = {{"batch_size", 101}};
  expect_error(j, "/delivery/batch_size", "from 1 to 100");
  j = minimal();
  j["definitions"][0]["workload"]["changes"][0]["rate"] = "fast";
  expect_error(j, "/definitions/0/workload/changes/0/rate", "a rate");
  j = minimal();
  j["expectations"]["delivered"] = {{"min", 5}, {"max", 2}};
  expect_error(j, "/expectations/delivered/max", ">= the minimum");
  j = minimal();
  j["expectations"]["latency"] = {{"end_to_end", {{"p999x", "1s"}}}};
  expect_error(j, "/expectations/latency/end_to_end/p999x", "a percentile");
  j = minimal();
  j["expectations"]["final_status"] = {{"stuck", 0}};
  expect_error(j, "/expectations/final_status/stuck", "a delivery-status state");
  j = minimal();
  j["start"] = "Monday";
  expect_error(j, "/start", "a UTC timestamp");
}

TEST(scenario, refuses_rates_beyond_the_maximum_and_empty_windows) {
  for (const json& rate : {json("1e300/s"), json(1e300), json("10000001/s"), json("-1/s")}) {
    json j = minimal();
    j["definitions"][0]["workload"]["changes"][0]["rate"] = rate;
    expect_error(j, "/definitions/0/workload/changes/0/rate", "at most 10000000/s");
  }
  json j = minimal();
  j["endpoints"][0]["faults"][0]["for"] = "0s";
  expect_error(j, "/endpoints/0/faults/0/for", "longer than 0s");
  j = minimal();
  j["duration"] = "1.5h";  // decimal durations are read
  EXPECT_EQ(scenario_from_json(j, "s.json").length, std::chrono::minutes(90));
}

TEST(scenario, checks_references_between_sections) {
  json j = minimal();
  j["definitions"][0]["endpoint"] = "sap";
  expect_error(j, "/definitions/0/endpoint", "one of the scenario's endpoints");
  j = minimal();
  j["expectations"]["definitions"] = {{"Other", {{"delivered", 1}}}};
  expect_error(j, "/expectations/definitions/Other", "one of the scenario's definitions");
  j = minimal();
  j["endpoints"].push_back(j["endpoints"][0]);
  expect_error(j, "/endpoints/1/name", "a unique name");
  j = minimal();
  j.erase("endpoints");
  expect_error(j, "/endpoints", "a required key");
}

TEST(scenario, passes_errors_of_the_fault_plan_and_the_definition_through) {
  json j = minimal();
  j["endpoints"][0]["faults"][0]["kind"] = "explode";
  expect_error(j, "/endpoints/0/faults/0/kind", "one of");
  j = minimal();
  j["definitions"][0]["definition"]["object"] = 7;
  expect_error(j, "/definitions/0/definition/object", "API name");
}

TEST(scenario, refuses_tls_faults_that_a_plain_http_scenario_endpoint_cannot_inject) {
  for (const char* kind :
       {"tls_untrusted", "tls_hostname", "tls_expired", "tls_client_certificate"}) {
    json j = minimal();
    j["endpoints"][0]["https"] = false;
    j["endpoints"][0]["faults"].push_back({{"kind", kind}, {"after", "5m"}, {"for", "1m"}});
    expect_error(j, "/endpoints/0/faults/1/kind", "plain HTTP");
    j["endpoints"][0]["faults"] = {{"faults", {{{"kind", kind}}}}};
    expect_error(j, "/endpoints/0/faults/faults/0/kind", kind);
    // Over HTTPS the same fault is played.
    j["endpoints"][0]["https"] = true;
    EXPECT_EQ(scenario_from_json(j, "s.json").endpoints[0].faults.faults.size(), 1u);
  }
}

TEST(scenario, an_endpoint_is_https_when_its_definitions_use_https_or_when_it_says_so) {
  json j = minimal();  // the definition's URL is https
  EXPECT_TRUE(scenario_from_json(j, "s.json").endpoints[0].https);
  j["definitions"][0]["definition"]["endpoint_url"] = "http://erp.example.com/erp";
  EXPECT_FALSE(scenario_from_json(j, "s.json").endpoints[0].https);
  j["endpoints"][0]["https"] = true;
  EXPECT_TRUE(scenario_from_json(j, "s.json").endpoints[0].https);
  j["endpoints"][0]["https"] = "yes";
  expect_error(j, "/endpoints/0/https", "true or false");
}

TEST(scenario, a_session_id_goes_only_to_an_https_endpoint) {
  json j = minimal();
  j["definitions"][0]["definition"]["include_session_id"] = true;
  EXPECT_TRUE(scenario_from_json(j, "s.json").endpoints[0].https);
  j["endpoints"][0]["https"] = false;
  expect_error(j, "/definitions/0/endpoint", "session id only over https");
}

TEST(scenario, reads_expect_fired_on_a_fault_and_keeps_it_out_of_the_mock_plan) {
  json j = minimal();
  j["endpoints"][0]["faults"].push_back({{"kind", "nack"}, {"expect_fired", true}});
  j["endpoints"][0]["faults"][0]["expect_fired"] = false;
  const scenario s = scenario_from_json(j, "s.json");
  EXPECT_EQ(s.endpoints[0].expect_fired, (std::vector<bool>{false, true}));
  ASSERT_EQ(s.endpoints[0].faults.faults.size(), 2u);
  EXPECT_TRUE(
      s.endpoints[0].faults_json[1].contains("expect_fired"));  // as written, for the report
  j["endpoints"][0]["faults"][1]["expect_fired"] = "yes";
  expect_error(j, "/endpoints/0/faults/1/expect_fired", "true or false");
  EXPECT_EQ(scenario_from_json(minimal(), "s.json").endpoints[0].expect_fired,
            std::vector<bool>{false});
}

TEST(scenario, refuses_work_faults_and_checks_after_the_end_of_the_run) {
  json j = minimal();  // duration 1h, run_until 27h
  j["definitions"][0]["workload"]["changes"][0]["until"] = "2h";
  expect_error(j, "/definitions/0/workload/changes/0/until", "within the scenario's duration");
  j = minimal();
  j["definitions"][0]["workload"]["changes"] = {{{"kind", "burst"}, {"at", "1h"}, {"count", 5}}};
  expect_error(j, "/definitions/0/workload/changes/0/at", "before the scenario's duration");
  j = minimal();
  j["endpoints"][0]["faults"][0]["after"] = "27h";
  expect_error(j, "/endpoints/0/faults/0/after", "before the run ends");
  j = minimal();
  j["expectations"]["during"] = {{{"at", "28h"}, {"status", {{"retrying", 0}}}}};
  expect_error(j, "/expectations/during/0/at", "within the run");
  j["expectations"]["during"][0]["at"] = "27h";  // the end itself is inside
  EXPECT_NO_THROW(scenario_from_json(j, "s.json"));
}

TEST(scenario, reads_definition_files_relative_to_the_scenario) {
  const scenario s = load_scenario(library_dir / "sap_downtime.json");
  EXPECT_EQ(s.definitions[0].definition.full_name, "Notify_ERP");
  EXPECT_EQ(s.definitions[0].definition.object, "Account");
  EXPECT_EQ(s.definitions[0].source, "definitions/Account.workflow-meta.xml");
  json j = minimal();
  j["definitions"][0].erase("definition");
  j["definitions"][0]["file"] = "definitions/missing.xml";
  try {
    scenario_from_json(j, library_dir / "x.json");
    FAIL();
  } catch (const input_error& e) {
    EXPECT_EQ(e.path(), "/definitions/0/file");
  }
}

TEST(scenario, reports_unreadable_and_invalid_files) {
  EXPECT_THROW(load_scenario("/nonexistent/s.json"), input_error);
  const auto file = std::filesystem::temp_directory_path() /
                    ("outbound_scenario_test_bad_" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << "{\"name\": ";
  try {
    load_scenario(file);
    FAIL();
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), file.string());
    EXPECT_NE(e.expected().find("valid JSON"), std::string::npos);
  }
  std::filesystem::remove(file);
}

// Each of these escaped as a library exception (exit 3) or echoed a whole 10 MB value.
TEST(scenario, file_errors_are_input_errors_that_say_what_is_wrong) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("outbound_scenario_test_dir_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto message = [](const std::filesystem::path& f) -> std::string {
    try {
      load_scenario(f);
    } catch (const input_error& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(message(dir).find("is a directory"), std::string::npos);
  EXPECT_NE(message(dir / "none.json").find("does not exist"), std::string::npos);
  const auto file = dir / "s.json";
  std::ofstream(file) << R"({"name": "t", "duration": "1h", "seed": 1e999})";
  EXPECT_NE(message(file).find("valid JSON"), std::string::npos) << message(file);
  std::ofstream(file) << R"({"name": "t", "duration": ")" << std::string(10'000'000, '9') << "h\"}";
  EXPECT_LT(message(file).size(), 1000u);
  std::filesystem::remove_all(dir);
}

TEST(scenario, every_library_scenario_loads) {
  for (const auto& entry : std::filesystem::directory_iterator(library_dir)) {
    if (entry.path().extension() != ".json") continue;
    SCOPED_TRACE(entry.path().string());
    const scenario s = load_scenario(entry.path());
    EXPECT_EQ(s.name, entry.path().stem().string());
    EXPECT_FALSE(s.expectations.empty());
  }
}

TEST(count_range, describes_itself) {
  EXPECT_EQ(describe(count_range{5, 5}), "5");
  EXPECT_EQ(describe(count_range{3}), ">= 3");
  EXPECT_EQ(describe(count_range{0, 9}), "<= 9");
  EXPECT_EQ(describe(count_range{3, 9}), "3..9");
}

}  // namespace
}  // namespace outbound::scenarios
