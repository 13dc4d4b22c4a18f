// `outbound load --threshold` as a CI gate against the real `outbound mock` (issue 13's done-when,
// shorter): a fast mock passes 'p99<...' and exits 0, a mock whose acks are slow fails it and
// exits 1 naming it with measured vs limit, and junit.xml has one test case per threshold (one
// for the run when there is none). The limits are far from what is measured either way, so the
// verdicts do not depend on the machine's speed.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <fstream>

#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

struct junit_cases {
  std::vector<std::string> names, failures;  // failure messages, "" for a pass
};

junit_cases read_junit(const std::string& file) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_file(file.c_str())) << file;
  junit_cases out;
  for (auto tc : doc.child("testsuites").child("testsuite").children("testcase")) {
    out.names.push_back(tc.attribute("name").value());
    out.failures.push_back(tc.child("failure").attribute("message").value());
  }
  return out;
}

class load_gate : public ::testing::Test {
 protected:
  temp_dir dir{"load_gate"};

  // Starts `outbound mock` (with `faults` as its plan when given); its endpoint URL.
  std::string start_mock(const std::string& faults = "") {
    std::vector<std::string> args = {OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"};
    if (!faults.empty()) {
      std::ofstream(dir / "faults.json") << faults;
      args.insert(args.end(), {"--faults", dir / "faults.json"});
    }
    mock_ = std::make_unique<child>(args, dir.path());
    return mock_->wait_for_line("listening on ") + "/ack";
  }

  // `outbound load` against `endpoint` for 1 s with `extra` options; its exit code and output.
  child& load(const std::string& endpoint, std::vector<std::string> extra) {
    std::vector<std::string> args = {OUTBOUND_BINARY, "load",  "--endpoint", endpoint,
                                     "--rate",        "200/s", "--duration", "1s",
                                     "--connections", "100",   "--out",      dir / "out"};
    args.insert(args.end(), extra.begin(), extra.end());
    load_ = std::make_unique<child>(args, dir.path());
    load_->wait();
    return *load_;
  }

 private:
  std::unique_ptr<child> mock_, load_;
};

TEST_F(load_gate, a_fast_listener_passes_and_exits_0) {
  const auto url = start_mock();
  auto& run = load(url, {"--threshold", "p99<1m", "--threshold", "errors<=0"});
  EXPECT_EQ(run.wait(), 0) << run.out() << run.err();
  EXPECT_NE(run.out().find("PASSED (2 of 2)"), std::string::npos) << run.out();
  EXPECT_NE(run.out().find("pass  p99<1m"), std::string::npos) << run.out();
  const auto junit = read_junit(dir / "out/junit.xml");
  EXPECT_EQ(junit.names, (std::vector<std::string>{"p99<1m", "errors<=0"}));
  EXPECT_EQ(junit.failures, (std::vector<std::string>{"", ""}));
}

// Every ack takes 300 ms: p99<100ms cannot hold, errors<=0 still does.
TEST_F(load_gate, slow_acks_fail_the_latency_threshold_and_exit_1_naming_it) {
  const auto url = start_mock(R"([{"kind": "delay", "distribution": "fixed", "value": "300ms"}])");
  auto& run = load(url, {"--threshold", "p99<100ms", "--threshold", "errors<=0"});
  EXPECT_EQ(run.wait(), 1) << run.out() << run.err();
  EXPECT_NE(run.err().find("load: threshold p99<100ms failed: measured 3"), std::string::npos)
      << run.err();
  EXPECT_NE(run.err().find("limit < 100ms"), std::string::npos) << run.err();
  EXPECT_NE(run.out().find("FAIL  p99<100ms"), std::string::npos) << run.out();
  const auto junit = read_junit(dir / "out/junit.xml");
  EXPECT_EQ(junit.names, (std::vector<std::string>{"p99<100ms", "errors<=0"}));
  EXPECT_EQ(junit.failures[0].rfind("measured 3", 0), 0u) << junit.failures[0];
  EXPECT_EQ(junit.failures[1], "");
}

TEST_F(load_gate, without_thresholds_junit_has_one_case_for_the_run) {
  const auto url = start_mock();
  auto& run = load(url, {});
  EXPECT_EQ(run.wait(), 0) << run.out() << run.err();
  const auto junit = read_junit(dir / "out/junit.xml");
  EXPECT_EQ(junit.names, (std::vector<std::string>{"ran to the end"}));
  EXPECT_EQ(junit.failures, (std::vector<std::string>{""}));
}

// A profile (docs/load.md): its stages, definitions and thresholds drive the run; --endpoint
// overrides the file's, and --threshold replaces the file's thresholds.
TEST_F(load_gate, a_profile_drives_the_run_and_options_override_it) {
  const auto url = start_mock();
  std::ofstream(dir / "p.json") << R"({
    "endpoint": "http://127.0.0.1:1/",
    "stages": [{"duration": "500ms", "to": "200/s"}, {"duration": "500ms", "rate": "200/s"}],
    "definitions": [{"definition": ")" +
                                       std::string(OUTBOUND_SOURCE_DIR) +
                                       R"(/examples/definitions/contact.json", "weight": 1},
                    {"weight": 3, "batch": {"min": 1, "max": 5}}],
    "thresholds": ["p99<1m", "errors<=0"]})";
  std::vector<std::string> args = {OUTBOUND_BINARY, "load", "--profile", dir / "p.json",
                                   "--endpoint",    url,    "--out",     dir / "out"};
  child run(args, dir.path());
  EXPECT_EQ(run.wait(), 0) << run.out() << run.err();
  EXPECT_EQ(read_junit(dir / "out/junit.xml").names,
            (std::vector<std::string>{"p99<1m", "errors<=0"}));
  const auto report = nlohmann::json::parse(std::ifstream(dir / "out/report.json"));
  EXPECT_EQ(report["parameters"]["messages_scheduled"], 150);  // 50 on the ramp, 100 held
  EXPECT_EQ(report["parameters"]["stages"].size(), 2u);
  EXPECT_EQ(report["load"]["definitions"].size(), 2u);
  EXPECT_EQ(report["metrics"]["counters"]["messages_failed"], 0);
  // Durations for people: "in 1.00s", never "999658us".
  EXPECT_NE(run.out().find("messages ("), std::string::npos) << run.out();
  EXPECT_EQ(run.out().find("s9"), std::string::npos) << run.out();

  std::vector<std::string> stricter = args;
  stricter.insert(stricter.end(), {"--threshold", "p99<1us"});
  child strict(stricter, dir.path());
  EXPECT_EQ(strict.wait(), 1) << strict.out() << strict.err();
  EXPECT_EQ(read_junit(dir / "out/junit.xml").names, (std::vector<std::string>{"p99<1us"}));
}

}  // namespace
}  // namespace outbound::integration
