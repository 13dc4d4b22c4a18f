// `outbound run` as a CI pipeline uses it: exit codes, the named failing expectation, the report
// folder.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct run_output {
  int code = -1;
  std::string out;  // stdout and stderr
};

run_output run(const std::string& args) {
  const std::string command = std::string(OUTBOUND_BINARY) + " " + args + " 2>&1";
  run_output r;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

fs::path library(const std::string& name) {
  return fs::path(OUTBOUND_SOURCE_DIR) / "scenarios" / "library" / name;
}

fs::path scratch(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("outbound_run_command_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(run_command, sap_downtime_passes_and_writes_the_report_folder) {
  const auto out = scratch("sap");
  const auto r = run("run " + library("sap_downtime.json").string() + " --out " + out.string());
  EXPECT_EQ(r.code, 0) << r.out;
  for (const char* f : {"report.json", "report.html", "junit.xml", "status.csv"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  std::ifstream in(out / "report.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j.at("name"), "sap_downtime");
  EXPECT_EQ(j.at("clock"), "virtual");
}

TEST(run_command, a_broken_expectation_exits_1_naming_it) {
  const auto dir = scratch("broken");
  std::ifstream in(library("malformed_responses.json"));
  auto j = nlohmann::json::parse(in);
  j["expectations"]["delivered"] = 150;
  // Definition files are read relative to the scenario; an absolute path works from anywhere.
  j["definitions"][0]["file"] = library("definitions/Account.workflow-meta.xml").string();
  const auto file = dir / "broken.json";
  std::ofstream(file) << j.dump(2);
  const auto r = run("run " + file.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("expectation failed: delivered: measured 200, expected 150"),
            std::string::npos)
      << r.out;
}

TEST(run_command, a_bad_scenario_exits_2_naming_file_and_path) {
  const auto dir = scratch("bad");
  std::ifstream in(library("update_storm.json"));
  auto j = nlohmann::json::parse(in);
  j["delivery"]["batch_size"] = "100";
  const auto file = dir / "bad.json";
  std::ofstream(file) << j.dump(2);
  const auto r = run("run " + file.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(file.string() + ": /delivery/batch_size: a whole number"), std::string::npos)
      << r.out;
}

TEST(run_command, a_tls_fault_exits_2_and_a_fault_that_must_fire_but_never_did_exits_1) {
  const auto dir = scratch("faults");
  std::ifstream in(library("update_storm.json"));
  auto j = nlohmann::json::parse(in);
  // A TLS fault on a plain HTTP endpoint could never fire.
  j["endpoints"][0]["https"] = false;
  j["endpoints"][0]["faults"] = {{{"kind", "tls_expired"}, {"after", "1s"}, {"for", "1s"}}};
  const auto tls = dir / "tls.json";
  std::ofstream(tls) << j.dump(2);
  auto r = run("run " + tls.string() + " --out " + (dir / "tls").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(tls.string() + ": /endpoints/0/faults/0/kind:"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "tls")) << "refused means unchanged";

  j["endpoints"][0].erase("https");
  j["endpoints"][0]["faults"] = {
      {{"kind", "nack"}, {"after", "1m"}, {"for", "1s"}, {"expect_fired", true}}};
  j["run_until"] = "2m";
  const auto late = dir / "late.json";
  std::ofstream(late) << j.dump(2);
  r = run("run " + late.string() + " --out " + (dir / "late").string());
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("never fired"), std::string::npos) << r.out;
}

TEST(run_command, seed_and_clock_options) {
  const auto out = scratch("seed");
  const auto r = run("run " + library("malformed_responses.json").string() +
                     " --clock virtual --seed 5 --out " + out.string());
  EXPECT_EQ(r.code, 0) << r.out;
  std::ifstream in(out / "report.json");
  EXPECT_EQ(nlohmann::json::parse(in).at("seed"), 5);
  EXPECT_EQ(run("run " + library("malformed_responses.json").string() + " --clock sundial").code,
            2);
}

}  // namespace
