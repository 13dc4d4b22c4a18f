// The Kubernetes recipe (examples/kubernetes/, docs/distributed.md) without Kubernetes: the shell
// command of the Indexed Job's pod template runs once per completion index, with the environment
// the manifest gives it (endpoint, rate and duration pointed at a local `outbound mock` and made
// short), then the merge Job's command runs on their reports. So the manifests' commands, options
// and thresholds are the ones that work, and their exit code is the merged report's verdict.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "reports/report.hpp"
#include "tests/cli/run_outbound.hpp"
#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

// The manifest's documents as JSON (python3-yaml, installed by scripts/setup).
nlohmann::json manifest(const std::string& name) {
  const auto r = outbound::testing::run_shell(
      "python3 -c 'import sys, yaml, json; print(json.dumps(list(yaml.safe_load_all("
      "open(sys.argv[1])))))' " +
      std::string(OUTBOUND_SOURCE_DIR) + "/examples/kubernetes/" + name);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return nlohmann::json::parse(r.output);
}

const nlohmann::json& job(const nlohmann::json& documents) {
  for (const auto& d : documents)
    if (d["kind"] == "Job") return d;
  ADD_FAILURE() << "no Job in " << documents.dump();
  static const nlohmann::json none;
  return none;
}

// `env NAME=VALUE... /bin/sh -c COMMAND` for the Job's one container, with `overrides` and the
// test's `outbound` on the PATH.
std::vector<std::string> pod_command(const nlohmann::json& job,
                                     std::map<std::string, std::string> overrides,
                                     const temp_dir& dir) {
  const auto& container = job["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["command"], nlohmann::json::array({"/bin/sh", "-c"}));
  std::vector<std::string> argv = {
      "/usr/bin/env", "PATH=" + (dir / "bin") + ":" + std::string(std::getenv("PATH"))};
  for (const auto& e : container["env"]) {
    const std::string name = e["name"];
    argv.push_back(name + "=" +
                   (overrides.contains(name) ? overrides[name] : e["value"].get<std::string>()));
    overrides.erase(name);
  }
  for (const auto& [name, value] : overrides) argv.push_back(name + "=" + value);
  argv.insert(argv.end(), {"/bin/sh", "-c", container["args"][0].get<std::string>()});
  return argv;
}

TEST(kubernetes_recipe, the_indexed_job_and_the_merge_job_run_as_written) {
  temp_dir dir("kubernetes_recipe");
  fs::create_directories(dir.path() / "bin");
  fs::create_symlink(OUTBOUND_BINARY, dir.path() / "bin" / "outbound");
  const auto load = job(manifest("load-job.yaml"));
  const auto merge = job(manifest("merge-job.yaml"));

  const auto& spec = load["spec"];
  EXPECT_EQ(spec["completionMode"], "Indexed");
  EXPECT_EQ(spec["backoffLimit"], 0);
  EXPECT_EQ(spec["parallelism"], spec["completions"]);
  const std::string command = spec["template"]["spec"]["containers"][0]["args"][0];
  EXPECT_NE(command.find("--shard \"$((JOB_COMPLETION_INDEX + 1))/$SHARDS\""), std::string::npos);
  EXPECT_NE(command.find("--start-at \"$START_AT\""), std::string::npos);
  int shards = 0;
  for (const auto& e : spec["template"]["spec"]["containers"][0]["env"])
    if (e["name"] == "SHARDS") shards = std::stoi(e["value"].get<std::string>());
  EXPECT_EQ(shards, spec["completions"].get<int>());

  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"}, dir.path());
  const std::string endpoint = mock.wait_for_line("listening on ") + "/ack";
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::map<std::string, std::string> short_run = {{"ENDPOINT", endpoint},
                                                        {"RATE", "400/s"},
                                                        {"DURATION", "1s"},
                                                        {"START_AT", "@" + std::to_string(now + 3)},
                                                        {"REPORTS", dir.path().string()}};
  std::vector<std::unique_ptr<child>> pods;
  for (int index = 0; index < shards; ++index) {
    auto env = short_run;
    env["JOB_COMPLETION_INDEX"] = std::to_string(index);
    pods.push_back(std::make_unique<child>(pod_command(load, env, dir), dir.path()));
  }
  for (auto& pod : pods) EXPECT_EQ(pod->wait(), 0) << pod->out() << pod->err();
  for (int k = 1; k <= shards; ++k)
    EXPECT_TRUE(fs::exists(dir.path() / ("shard-" + std::to_string(k)) / "report.json")) << k;

  child merger(pod_command(merge, {{"REPORTS", dir.path().string()}}, dir), dir.path());
  const int code = merger.wait();
  const auto merged = reports::read_report(dir / "merged/report.json");
  EXPECT_EQ(merged.shards.size(), static_cast<std::size_t>(shards));
  ASSERT_EQ(merged.thresholds.size(), 3u);
  EXPECT_EQ(merged.thresholds[0].threshold, "p99<300ms");
  EXPECT_EQ(merged.thresholds[1].threshold, "errors<0.1%");
  EXPECT_EQ(merged.thresholds[2].threshold, "achieved_rate>=0.97*rate");
  // Whether they held depends on this machine's speed; the Job's verdict is the report's.
  EXPECT_EQ(code, merged.passed() ? 0 : 1) << merger.out() << merger.err();
  EXPECT_EQ(merged.metrics.totals().messages_acked, 400u);
}

}  // namespace
}  // namespace outbound::integration
