#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/input_error.hpp"
#include "reports/report.hpp"
#include "tests/reports/sample_report.hpp"

namespace outbound::reports {
namespace {

using nlohmann::json;

TEST(ReportJson, TimestampsKeepMicroseconds) {
  const auto t = parse_timestamp("2026-01-05T09:00:00.123456Z").value();
  EXPECT_EQ(format_timestamp_us(t), "2026-01-05T09:00:00.123456Z");
  EXPECT_EQ(parse_timestamp(format_timestamp_us(t)), t);
}

TEST(ReportJson, SampleReportRoundTripsExactly) {
  const auto r = testing::make_sample_report(42, 600);
  ASSERT_GT(r.metrics.totals().notifications_delivered, 1000u);
  ASSERT_FALSE(r.status.rows.empty());
  const auto text = to_json(r).dump(2);
  const auto back = report_from_json(json::parse(text), "report.json");
  EXPECT_EQ(back, r);
  EXPECT_EQ(to_json(back).dump(2), text);
}

TEST(ReportJson, EmptyReportRoundTrips) {
  run_report r;
  r.name = "empty";
  const auto back = report_from_json(json::parse(to_json(r).dump()), "report.json");
  EXPECT_EQ(back, r);
  EXPECT_FALSE(back.ledger.has_value());
  EXPECT_FALSE(back.drain_time.has_value());
}

TEST(ReportJson, FaultEntriesAndWarningsRoundTripAndMayBeAbsent) {
  run_report r;
  r.name = "accounted";
  r.fault_entries.push_back({"erp", 0, "erp: refuse", 1, true});
  r.fault_entries.push_back({"erp", 1, "erp: nack", 0, false});
  r.warnings.push_back("fault /endpoints/0/faults/1 (erp: nack) never fired");
  json j = to_json(r);
  EXPECT_EQ(report_from_json(j, "report.json"), r);
  j.erase("fault_entries");  // a report written before they existed
  j.erase("warnings");
  const auto old = report_from_json(j, "report.json");
  EXPECT_TRUE(old.fault_entries.empty());
  EXPECT_TRUE(old.warnings.empty());
}

TEST(ReportJson, DocumentHasTheDocumentedTopLevelKeys) {
  const auto j = to_json(testing::make_sample_report(1, 300));
  for (const char* key : {"format_version", "kind", "name", "parameters", "started", "finished",
                          "simulated_start", "simulated_end", "clock", "seed", "drain_time_us",
                          "passed", "metrics", "faults", "checks", "status", "ledger"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["format_version"], 1);
  EXPECT_EQ(
      j["metrics"]["counters"]["still_queued"],
      j["status"]["counts"]["retrying"].get<int>() + j["status"]["counts"]["in_flight"].get<int>());
}

// Expects report_from_json to reject `j` naming `path`.
void expect_rejected(const json& j, const std::string& path) {
  try {
    (void)report_from_json(j, "shard.json");
    ADD_FAILURE() << "accepted, expected an error at " << path;
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), "shard.json");
    EXPECT_EQ(e.path(), path) << e.what();
  }
}

TEST(ReportJson, BadDocumentsNameFileAndPath) {
  const auto good = to_json(testing::make_sample_report(3, 300));
  auto j = good;
  j["format_version"] = 2;
  expect_rejected(j, "/format_version");
  j = good;
  j["kind"] = "soak";
  expect_rejected(j, "/kind");
  j = good;
  j.erase("name");
  expect_rejected(j, "/name");
  j = good;
  j["metrics"]["counters"]["messages_sent"] = -1;
  expect_rejected(j, "/metrics/counters/messages_sent");
  j = good;
  j["metrics"]["series"]["acked"].push_back(1);
  expect_rejected(j, "/metrics/series/acked");
  j = good;
  j["status"]["rows"][0]["created"] = "yesterday";
  expect_rejected(j, "/status/rows/0/created");
  j = good;
  j["checks"][1]["passed"] = "yes";
  expect_rejected(j, "/checks/1/passed");
  j = good;
  j["metrics"]["histograms"]["attempts"]["count"] = 1;
  expect_rejected(j, "/metrics/histograms/attempts/count");
  expect_rejected(json::array(), "");
  j = good;
  j.erase("metrics");  // was std::out_of_range from json::at, exit 3
  expect_rejected(j, "/metrics");
}

TEST(ReportJson, ReadReportTurnsLibraryErrorsIntoInputErrors) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("outbound_report_json_lib_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "report.json").string();
  auto text = to_json(testing::make_sample_report(5, 120)).dump();
  text.replace(text.find("\"seed\":5"), 8, "\"seed\":1e999");
  std::ofstream(file) << text;
  EXPECT_THROW((void)read_report(file), input_error);
  std::ofstream(file) << "{\"metrics\": 1}";
  EXPECT_THROW((void)read_report(file), input_error);
  try {
    (void)read_report(dir.string());
    FAIL() << "read a directory";
  } catch (const input_error& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(ReportJson, ReadReportNamesMissingAndMalformedFiles) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("outbound_report_json_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_THROW((void)read_report((dir / "missing.json").string()), input_error);
  const auto bad = (dir / "bad.json").string();
  std::ofstream(bad) << "{\"format_version\": 1,";
  try {
    (void)read_report(bad);
    FAIL() << "accepted";
  } catch (const input_error& e) {
    EXPECT_EQ(e.file(), bad);
  }
  const auto good = (dir / "good.json").string();
  const auto r = testing::make_sample_report(5, 120);
  std::ofstream(good) << to_json(r).dump();
  EXPECT_EQ(read_report(good), r);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace outbound::reports
