// The load report's page: made by the load generator (a profile, nacks and timeouts, in simulated
// time), rendered, and laid out by headless Chromium (scripts/check-report-html), which must find
// the rate, percentiles-over-time and errors charts with a real size.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "modes/builtin_definition.hpp"
#include "modes/load_generator.hpp"
#include "modes/load_report.hpp"
#include "reports/render.hpp"
#include "reports/threshold.hpp"
#include "tests/modes/fake_transport.hpp"

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");

reports::run_report a_load_report(shard part = {}) {
  load_options o;
  o.shard = part;
  o.endpoint = {"http://127.0.0.1:9/", false, "127.0.0.1", "9", "/"};
  o.stages = {{10s, 0, 100}, {10s, 100, 100}};
  auto contact = builtin_account_definition();
  contact.full_name = "Contact_to_ERP";
  o.definitions = {{builtin_account_definition(), 3, batch_sizes::uniform(1, 5)},
                   {contact, 1, batch_sizes::fixed(1)}};
  o.profile = "ramp_hold.json";
  o.connections = 20;
  o.timeout = 500ms;
  o.seed = 3;
  event_loop loop(start);
  testing::fake_transport t(loop, 20ms);
  t.answer = [](std::size_t i) {
    return i % 40 == 3 ? testing::fake_transport::nack() : testing::fake_transport::ok();
  };
  load_generator g(loop, t, o);
  g.start([] {});
  loop.run();
  auto r = load_report(o, g.result());
  r.thresholds = reports::evaluate_thresholds(
      {reports::parse_threshold("p99<300ms"), reports::parse_threshold("errors<1%")}, r);
  return r;
}

std::string output_of(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;)
    out.append(buf.data(), n);
  ::pclose(p);
  return out;
}

TEST(load_report_html, declares_its_own_charts_and_puts_thresholds_first) {
  const auto html = reports::render_html(a_load_report());
  for (const char* chart : {"chart-rate", "chart-latency-over-time", "chart-service-over-time",
                            "chart-errors-over-time"})
    EXPECT_NE(html.find(std::string("data-chart=\"") + chart + "\""), std::string::npos) << chart;
  EXPECT_EQ(html.find("chart-queue"), std::string::npos);  // the scenario's charts are not there
  EXPECT_EQ(html.find("chart-attempts"), std::string::npos);
  EXPECT_LT(html.find("id=\"thresholds\""), html.find("id=\"chart-rate\""));
  EXPECT_LT(html.find("FAIL"), html.find(">pass<"));  // errors<1% fails (2.5% nacks), listed first
  // Errors per class in the rate chart's unit (per second), not per interval of whatever width.
  EXPECT_NE(html.find(">failed per second<"), std::string::npos);
  EXPECT_NE(html.find("Statistics per definition"), std::string::npos);
  EXPECT_NE(html.find("Contact_to_ERP"), std::string::npos);
  // Parameters in human units, not microseconds.
  EXPECT_NE(html.find("ramp 0/s to 100/s over 10.0s, then hold 100/s for 10.0s"),
            std::string::npos);
  EXPECT_NE(html.find("<td>timeout</td><td>500ms</td>"), std::string::npos);
  EXPECT_EQ(html.find("duration_us"), std::string::npos);
  EXPECT_EQ(html.find("60000000"), std::string::npos);
}

// The merge of two shards' reports is a load report too: the same page, with its shards.
TEST(load_report_html, a_merged_report_gets_the_load_page_with_its_shards) {
  const auto merged = reports::merge({a_load_report({1, 2}), a_load_report({2, 2})});
  ASSERT_TRUE(merged.load);
  // The shards together sent each definition as often as one run (which answers are nacks
  // depends on each fake transport's own count).
  const auto whole = a_load_report();
  for (const auto& [name, d] : whole.load->definitions())
    EXPECT_EQ(merged.load->definitions().at(name).ok + merged.load->definitions().at(name).ko,
              d.ok + d.ko)
        << name;
  const auto html = reports::render_html(merged);
  EXPECT_NE(html.find("data-chart=\"chart-rate\""), std::string::npos);
  EXPECT_NE(html.find("id=\"shards\""), std::string::npos);
  EXPECT_NE(html.find("every shard ran to the end"), std::string::npos);
}

TEST(load_report_html, charts_render_in_chromium) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium is not installed (apt-get install -y chromium)";
  const fs::path dir =
      fs::temp_directory_path() / ("outbound_load_html_" + std::to_string(::getpid()));
  reports::write_report_folder(a_load_report(), dir);
  const auto out =
      output_of(std::string(OUTBOUND_SOURCE_DIR) + "/scripts/check-report-html " + dir.string() +
                " " + (dir / "shot.png").string() + " 2>&1; echo exit=$?");
  EXPECT_NE(out.find("exit=0"), std::string::npos) << out;
  for (const char* chart : {"ok   chart-rate:", "ok   chart-latency-over-time:",
                            "ok   chart-service-over-time:", "ok   chart-errors-over-time:"})
    EXPECT_NE(out.find(chart), std::string::npos) << chart << "\n" << out;
  EXPECT_GT(fs::file_size(dir / "shot.png"), 10000u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace outbound::modes
