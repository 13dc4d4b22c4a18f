// How thresholds show: one JUnit test case each (and one for the run when a report has nothing
// else, so that Jenkins never gets an empty suite), and at the top of the terminal summary with
// what was measured against the limit.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "reports/render.hpp"
#include "reports/threshold.hpp"
#include "tests/reports/sample_load_report.hpp"

namespace outbound::reports {
namespace {

using testing::load_report_of;

struct junit_case {
  std::string name;
  bool failed = false;
  std::string message, type;
};

std::vector<junit_case> junit_cases(const run_report& r, int* tests = nullptr,
                                    int* failures = nullptr) {
  pugi::xml_document doc;
  const auto xml = render_junit(r);
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  const auto suite = doc.child("testsuites").child("testsuite");
  if (tests) *tests = suite.attribute("tests").as_int();
  if (failures) *failures = suite.attribute("failures").as_int();
  std::vector<junit_case> out;
  for (auto tc : suite.children("testcase")) {
    const auto f = tc.child("failure");
    out.push_back({tc.attribute("name").value(), static_cast<bool>(f),
                   f.attribute("message").value(), f.attribute("type").value()});
  }
  return out;
}

run_report with_thresholds(std::vector<std::string> texts) {
  auto r = load_report_of({1000, 2000, 30'000});
  std::vector<threshold> ts;
  for (const auto& t : texts) ts.push_back(parse_threshold(t));
  r.thresholds = evaluate_thresholds(ts, r);
  return r;
}

TEST(threshold_junit, one_case_per_threshold_with_measured_and_limit) {
  const auto r = with_thresholds({"p99<10ms", "errors<=0", "max<1s"});
  int tests = 0, failures = 0;
  const auto cases = junit_cases(r, &tests, &failures);
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(tests, 3);
  EXPECT_EQ(failures, 1);
  EXPECT_EQ(cases[0].name, "p99<10ms");
  EXPECT_TRUE(cases[0].failed);
  EXPECT_EQ(cases[0].type, "threshold");
  EXPECT_EQ(cases[0].message, "measured 30.0ms, limit < 10ms");  // the summary's word
  EXPECT_FALSE(cases[1].failed);
  EXPECT_FALSE(cases[2].failed);
}

// junit.xml's parameters property is read on CI pages: words and human units, not report.json's
// microseconds (issue 13: "duration_us 60000000").
TEST(threshold_junit, the_parameters_property_is_in_human_units) {
  auto r = with_thresholds({"p99<10ms"});
  r.parameters = {{"duration_us", 60'000'000},
                  {"rate_per_second", 2000.0},
                  {"service_time_us", {{"p50", 124}, {"max", 11'388}}},
                  {"shard", "1/1"}};
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(render_junit(r).c_str()));
  const auto property = doc.child("testsuites")
                            .child("testsuite")
                            .child("properties")
                            .find_child_by_attribute("property", "name", "parameters");
  EXPECT_STREQ(property.attribute("value").value(),
               "duration 1m; rate 2000/s; service time p50 124us, max 11.4ms; shard 1/1");
  // A scenario's definitions: in words too, never a JSON object.
  r.parameters = {{"definitions",
                   nlohmann::json::array({{{"full_name", "Notify_ERP"}, {"object", "Account"}}})}};
  ASSERT_TRUE(doc.load_string(render_junit(r).c_str()));
  EXPECT_STREQ(doc.child("testsuites")
                   .child("testsuite")
                   .child("properties")
                   .find_child_by_attribute("property", "name", "parameters")
                   .attribute("value")
                   .value(),
               "definitions full_name Notify_ERP, object Account");
}

TEST(threshold_junit, a_load_test_without_thresholds_has_one_case_for_the_run) {
  auto r = load_report_of({1000});
  auto cases = junit_cases(r);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "ran to the end");
  EXPECT_FALSE(cases[0].failed);
  // Interrupted: the run's case fails, thresholds or not.
  r.shards[0].scheduled = 5;
  cases = junit_cases(r);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_TRUE(cases[0].failed);
  EXPECT_NE(cases[0].message.find("1 of 5 messages answered"), std::string::npos);
  r.thresholds = evaluate_thresholds({parse_threshold("max<1s")}, r);
  cases = junit_cases(r);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_FALSE(cases[0].failed);
  EXPECT_TRUE(cases[1].failed);
  // Any other report with nothing to check has a case too.
  run_report empty;
  cases = junit_cases(empty);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases[0].name, "completed");
}

TEST(threshold_summary, thresholds_come_first_with_measured_against_limit) {
  const auto text = text_summary(with_thresholds({"p99<10ms", "errors<=0"}));
  const auto lines = [&] {
    std::vector<std::string> out;
    std::size_t at = 0;
    for (std::size_t nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1)
      out.push_back(text.substr(at, nl - at));
    return out;
  }();
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "outbound load \"load\": FAILED (1 of 2 failed)");
  EXPECT_EQ(lines[1], "  thresholds     1 passed, 1 failed");
  EXPECT_EQ(lines[2], "    FAIL  p99<10ms   measured 30.0ms                limit < 10ms");
  EXPECT_EQ(lines[3], "    pass  errors<=0  measured 0% (0 of 3 messages)  limit <= 0%");
}

// Given passing first, the summary still lists what failed first (issue 13).
TEST(threshold_summary, failed_thresholds_come_before_passed_ones) {
  const auto text = text_summary(with_thresholds({"errors<=0", "max<1s", "p99<10ms"}));
  const auto failed = text.find("FAIL  p99<10ms");
  ASSERT_NE(failed, std::string::npos) << text;
  EXPECT_LT(failed, text.find("pass  errors<=0")) << text;
  EXPECT_LT(failed, text.find("pass  max<1s")) << text;
  EXPECT_LT(text.find("pass  errors<=0"), text.find("pass  max<1s")) << text;  // else as given
}

TEST(threshold_html, the_page_lists_them_and_its_badge_counts_them) {
  const auto html = render_html(with_thresholds({"p99<10ms", "errors<=0"}));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(html.c_str()));
  EXPECT_NE(html.find("FAILED 1 of 2"), std::string::npos);
  const auto rows = doc.select_nodes("//section[@id='thresholds']//tbody/tr");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_STREQ(rows[0].node().child("td").next_sibling("td").text().get(), "p99<10ms");
  auto stopped = load_report_of({1000});
  stopped.shards[0].scheduled = 3;
  EXPECT_NE(render_html(stopped).find("FAILED: stopped early"), std::string::npos);
}

TEST(threshold_summary, a_run_that_stopped_early_fails) {
  auto r = load_report_of({1000});
  EXPECT_EQ(text_summary(r).substr(0, 28), "outbound load \"load\": done\n ");
  r.shards[0].scheduled = 2;
  EXPECT_NE(text_summary(r).find("FAILED (stopped before the end)"), std::string::npos);
}

}  // namespace
}  // namespace outbound::reports
