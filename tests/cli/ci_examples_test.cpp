// The README's CI job examples (```yaml blocks) are valid YAML, run a library scenario that exists
// and publish its junit.xml; the CI shell pattern matches tests/integration/ci_pattern.sh. The
// distributed load recipes of docs/distributed.md are valid YAML and use only options that exist.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "tests/cli/run_outbound.hpp"
#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

std::vector<std::string> yaml_blocks(const std::string& readme) {
  std::vector<std::string> blocks;
  std::string current;
  bool in_block = false;
  for (const auto& line : lines_of(readme)) {
    if (line == "```yaml") {
      in_block = true;
      current.clear();
    } else if (in_block && line == "```") {
      in_block = false;
      blocks.push_back(current);
    } else if (in_block) {
      current += line + "\n";
    }
  }
  return blocks;
}

// A YAML document read by python3-yaml (installed by scripts/test) and printed as JSON: exit 0
// and the JSON, or the parser's error, since safe_load fails on any syntax error.
run_result yaml_as_json(const std::string& yaml) {
  const auto file = fs::temp_directory_path() / ("outbound_ci_yaml_" + std::to_string(::getpid()));
  std::ofstream(file) << yaml;
  const auto r = run_shell(
      "python3 -c 'import sys, yaml, json; print(json.dumps(yaml.safe_load("
      "open(sys.argv[1]))))' " +
      file.string());
  fs::remove(file);
  return r;
}

TEST(ci_examples, github_and_gitlab_jobs_parse_and_publish_junit) {
  const auto blocks = yaml_blocks(text_of(source_path("README.md")));
  ASSERT_EQ(blocks.size(), 2u);
  for (const auto& block : blocks) {
    const auto r = yaml_as_json(block);
    EXPECT_EQ(r.exit_code, 0) << r.output << block;
    EXPECT_NE(r.output.find("junit.xml"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("scenarios/library/sap_downtime.json"), std::string::npos);
  }
  EXPECT_TRUE(fs::exists(source_path("scenarios/library/sap_downtime.json")));
  EXPECT_NE(blocks[0].find("jobs:"), std::string::npos);
  EXPECT_NE(blocks[1].find("junit: out/sap/junit.xml"), std::string::npos);
}

// The README's copy-paste CI pattern runs the same steps as the script the integration tests run.
TEST(ci_examples, the_readme_pattern_is_the_tested_script) {
  const std::string readme = text_of(source_path("README.md"));
  const std::string script = text_of(source_path("tests/integration/ci_pattern.sh"));
  for (const std::string step :
       {"outbound mock --listen 127.0.0.1:0 --log requests > mock.lines 2> mock.log &",
        "read -r _ _ endpoint <&3", "read -r _ _ admin <&3",
        "outbound mock-ctl --admin \"$admin\" outage start refuse",
        "wait --acked --notifications 1 --timeout 2s",
        "outbound mock-ctl --admin \"$admin\" outage end"}) {
    EXPECT_NE(readme.find(step), std::string::npos) << step;
    EXPECT_NE(script.find(step), std::string::npos) << step;
  }
}

TEST(ci_examples, the_distributed_recipes_parse_and_use_real_options) {
  const std::string doc = text_of(source_path("docs/distributed.md"));
  const auto blocks = yaml_blocks(doc);
  ASSERT_EQ(blocks.size(), 2u);  // GitHub Actions, GitLab CI
  for (const auto& block : blocks) {
    const auto r = yaml_as_json(block);
    EXPECT_EQ(r.exit_code, 0) << r.output << block;
    EXPECT_NE(r.output.find("--start-at"), std::string::npos);
    EXPECT_NE(r.output.find("report merge"), std::string::npos);
    EXPECT_NE(r.output.find("merged/junit.xml"), std::string::npos);
  }
  EXPECT_NE(blocks[0].find("--shard ${{ matrix.shard }}/4"), std::string::npos);
  EXPECT_NE(blocks[1].find("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\""), std::string::npos);
  // Every option the page names is one of `load` or `report merge`.
  const std::string help =
      run_outbound("load --help").output + run_outbound("report merge --help").output;
  static const std::regex option("--[a-z][a-z0-9-]*");
  std::set<std::string> named;
  for (std::sregex_iterator it(doc.begin(), doc.end(), option), end; it != end; ++it)
    named.insert(it->str());
  EXPECT_GE(named.size(), 7u);
  for (const auto& o : named) EXPECT_NE(help.find(o + " "), std::string::npos) << o;
}

}  // namespace
}  // namespace outbound::testing
