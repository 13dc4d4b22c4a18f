#include "mock_endpoint/fault_plan.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "common/input_error.hpp"

namespace outbound::mock_endpoint {
namespace {

using nlohmann::json;

// The JSON pointer an input_error names for a plan.
std::string error_path(const json& j) {
  try {
    (void)fault_plan_from_json(j, "plan.json");
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "plan.json");
    return e.path();
  }
  return "(no error)";
}

TEST(fault_plan, reads_every_family_with_conditions) {
  const json j = json::parse(R"({"faults": [
    {"kind": "refuse", "after": "1m", "for": "90s"},
    {"kind": "http_status", "status": 503, "retry_after": 120, "first": 3},
    {"kind": "soap_fault", "faultcode": "soapenv:Server", "faultstring": "down", "every": 2},
    {"kind": "delay", "distribution": "lognormal", "median": "200ms", "sigma": 0.8, "cap": "5s",
     "probability": 0.25},
    {"kind": "slow_body", "bytes": 10, "interval": "100ms"},
    {"kind": "bandwidth", "bytes_per_second": 1000},
    {"kind": "stall", "hold": "2m", "after_read": true},
    {"kind": "garbage", "bytes": 16}
  ]})");
  const fault_plan p = fault_plan_from_json(j, "plan.json");
  ASSERT_EQ(p.faults.size(), 8u);
  EXPECT_EQ(p.faults[0].kind, fault_kind::refuse);
  EXPECT_EQ(p.faults[0].after, std::chrono::minutes(1));
  EXPECT_EQ(p.faults[0].for_, std::chrono::seconds(90));
  EXPECT_EQ(p.faults[1].status, 503);
  EXPECT_EQ(p.faults[1].retry_after, "120");
  EXPECT_EQ(p.faults[1].first, 3u);
  EXPECT_EQ(p.faults[2].faultstring, "down");
  EXPECT_EQ(p.faults[2].every, 2u);
  EXPECT_EQ(p.faults[3].delay.shape, distribution::lognormal);
  EXPECT_EQ(p.faults[3].delay.cap, std::chrono::seconds(5));
  EXPECT_DOUBLE_EQ(p.faults[3].probability, 0.25);
  EXPECT_EQ(p.faults[4].interval, std::chrono::milliseconds(100));
  EXPECT_EQ(p.faults[5].bytes_per_second, 1000u);
  EXPECT_TRUE(p.faults[6].after_read);
  EXPECT_EQ(p.faults[7].bytes, 16u);
}

TEST(fault_plan, round_trips_through_json) {
  const json j = json::parse(R"([
    {"kind": "html_error_page", "status": 504, "after": "10s"},
    {"kind": "delay", "distribution": "pareto", "scale": "100ms", "alpha": 1.2, "cap": "1m"},
    {"kind": "delay", "distribution": "uniform", "min": "1s", "max": "2s"},
    {"kind": "nack", "probability": 0.5}
  ])");
  const fault_plan p = fault_plan_from_json(j, "x.json");
  const json out = to_json(p);
  EXPECT_EQ(to_json(fault_plan_from_json(out, "x.json")), out);
  EXPECT_EQ(out["faults"][0]["status"], 504);
}

TEST(fault_plan, names_the_field_of_each_mistake) {
  EXPECT_EQ(error_path(json::parse(R"({"faults": [{"kind": "teleport"}]})")), "/faults/0/kind");
  EXPECT_EQ(error_path(json::parse(R"({"faults": [{"kind": "nack", "status": 500}]})")),
            "/faults/0/status");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack"}, {"kind": "http_status"}])")), "/1/status");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "http_status", "status": 99}])")), "/0/status");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "delay", "value": "soon"}])")), "/0/value");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "delay", "distribution": "zipf"}])")),
            "/0/distribution");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "probability": 1.5}])")), "/0/probability");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "every": 0}])")), "/0/every");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "slow_body", "bytes": 4}])")), "/0/interval");
  EXPECT_EQ(error_path(json::parse(R"({"faults": [], "extra": 1})")), "/extra");
  EXPECT_EQ(error_path(json::parse(R"({"fault": []})")), "/fault");
  EXPECT_EQ(error_path(json::parse(R"([42])")), "/0");
}

// Each of these was accepted, or crashed at run time (out of memory, NaN cast to an integer).
TEST(fault_plan, request_conditions_round_trip_and_name_their_mistakes) {
  const json j = json::parse(R"([
    {"kind": "soap_fault", "when": {"record_id": "0015g0000000007"}},
    {"kind": "nack", "when": {"field": "Name", "equals": "Poison"}},
    {"kind": "http_status", "status": 429, "beyond": {"concurrent_requests": 2}},
    {"kind": "http_status", "status": 503, "beyond": {"requests_per_second": 10}},
    {"kind": "stall", "after_read": true, "when": {"record_id": "0015g0000000007"}}
  ])");
  const fault_plan p = fault_plan_from_json(j, "x.json");
  EXPECT_EQ(p.faults[0].when_record, "0015g0000000007");
  EXPECT_EQ(p.faults[1].when_field, "Name");
  EXPECT_EQ(p.faults[1].when_equals, "Poison");
  EXPECT_EQ(p.faults[2].beyond_concurrent, 2u);
  EXPECT_EQ(p.faults[3].beyond_per_second, 10u);
  EXPECT_TRUE(p.has_limits());
  EXPECT_FALSE(fault_plan_from_json(json::array({j[0]}), "x.json").has_limits());
  const json out = to_json(p);
  EXPECT_EQ(to_json(fault_plan_from_json(out, "x.json")), out);

  // A connection fault is decided before any request: no request condition.
  EXPECT_EQ(
      error_path(json::parse(R"([{"kind": "refuse", "when": {"record_id": "0015g0000000007"}}])")),
      "/0/when");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "when": {"record_id": "001"}}])")),
            "/0/when/record_id");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "when": {"field": "Name"}}])")),
            "/0/when/equals");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "when": {"id": "x"}}])")), "/0/when/id");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "beyond": {"connections": 2}}])")),
            "/0/beyond/connections");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "beyond": {"concurrent_requests": 0}}])")),
            "/0/beyond/concurrent_requests");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "nack", "beyond": 5}])")), "/0/beyond");
}

TEST(fault_plan, refuses_empty_windows_huge_garbage_and_a_zero_pareto_scale) {
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "refuse", "for": "0s"}])")), "/0/for");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "garbage", "bytes": 3000000000}])")), "/0/bytes");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "garbage", "bytes": 16777217}])")), "/0/bytes");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "garbage", "bytes": 16777216}])")), "(no error)");
  EXPECT_EQ(
      error_path(json::parse(R"([{"kind": "delay", "distribution": "pareto", "scale": "0s"}])")),
      "/0/scale");
  EXPECT_EQ(error_path(json::parse(R"([{"kind": "refuse", "after": "99999999999999999h"}])")),
            "/0/after");
}

TEST(fault_plan, a_pareto_draw_is_never_nan) {
  delay_spec d;
  d.shape = distribution::pareto;
  d.scale = duration{};  // only reachable by building a plan in code
  d.alpha = 0.01;
  random rng(1);
  for (int i = 0; i < 10'000; ++i) EXPECT_GE(sample(d, rng), duration{});
}

class fault_plan_file : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  // The message of loading `text` as a plan file ("" when it loads).
  std::string load(const std::string& text) {
    std::ofstream(path_, std::ios::binary) << text;
    try {
      (void)load_fault_plan(path_);
    } catch (const input_error& e) {
      EXPECT_EQ(e.file(), path_.string());
      return e.what();
    }
    return "";
  }
  std::filesystem::path path_ = std::filesystem::temp_directory_path() /
                                (std::string("outbound_fault_plan_") +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name() +
                                 "_" + std::to_string(::getpid()) + ".json");
};

TEST_F(fault_plan_file, library_errors_are_input_errors) {
  EXPECT_EQ(load(R"([{"kind": "nack"}])"), "");
  EXPECT_NE(load(R"([{"kind": "nack", "probability": 1e999}])").find("valid JSON"),
            std::string::npos);
  EXPECT_NE(load("[\"\xFF\"]").find("valid JSON"), std::string::npos);
  EXPECT_NE(load("").find("valid JSON"), std::string::npos);
  const std::string huge = load(R"([{"kind": ")" + std::string(10'000'000, 'k') + "\"}]");
  EXPECT_NE(huge.find("/0/kind"), std::string::npos) << huge.substr(0, 300);
  EXPECT_LT(huge.size(), 1000u);
}

TEST_F(fault_plan_file, says_a_missing_file_does_not_exist) {
  try {
    (void)load_fault_plan("/nonexistent/plan.json");
    FAIL();
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
}

TEST(fault_plan, embedded_plans_report_the_outer_path) {
  try {
    (void)fault_plan_from_json(json::parse(R"([{"kind": "close", "after": 5}])"), "scenario.json",
                               "/endpoints/0/faults");
    FAIL() << "no error";
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "scenario.json");
    EXPECT_EQ(e.path(), "/endpoints/0/faults/0/after");
  }
}

TEST(fault_plan, shipped_examples_load) {
  int files = 0;
  for (const auto& f :
       std::filesystem::directory_iterator(OUTBOUND_SOURCE_DIR "/examples/faults")) {
    SCOPED_TRACE(f.path().string());
    EXPECT_NO_THROW((void)load_fault_plan(f.path()));
    ++files;
  }
  EXPECT_GE(files, 5);
}

TEST(fault_plan, delays_are_seeded_and_capped) {
  delay_spec d;
  d.shape = distribution::pareto;
  d.scale = std::chrono::milliseconds(100);
  d.alpha = 1.1;
  d.cap = std::chrono::seconds(2);
  random a(7), b(7);
  for (int i = 0; i < 1000; ++i) {
    const duration x = sample(d, a);
    EXPECT_EQ(x, sample(d, b));
    EXPECT_GE(x, std::chrono::milliseconds(100));
    EXPECT_LE(x, std::chrono::seconds(2));
  }
  d.shape = distribution::normal;
  d.mean = std::chrono::milliseconds(10);
  d.stddev = std::chrono::milliseconds(50);
  for (int i = 0; i < 1000; ++i) EXPECT_GE(sample(d, a), duration{});  // clamped at zero
}

TEST(fault_plan, kinds_round_trip_by_name) {
  for (std::size_t i = 0; i < fault_kind_count; ++i) {
    const auto k = static_cast<fault_kind>(i);
    EXPECT_EQ(fault_kind_from_string(to_string(k)), k);
  }
  EXPECT_FALSE(fault_kind_from_string("Refuse"));
}

}  // namespace
}  // namespace outbound::mock_endpoint
