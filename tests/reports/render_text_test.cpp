#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "reports/render.hpp"
#include "tests/reports/sample_report.hpp"

namespace outbound::reports {
namespace {

TEST(RenderText, CsvFieldsAreQuotedPerRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

TEST(RenderText, XmlEscapingAndCleaning) {
  EXPECT_EQ(xml_escape_text("a<b>&\"c\"'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;");
  EXPECT_EQ(xml_escape_text("tab\tok\x01\x1f"), "tab\tok");
  EXPECT_EQ(xml_escape_text("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
  EXPECT_EQ(xml_clean("bad\xff\xc3"), "bad\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(RenderText, DurationsReadLikeAPersonWouldWriteThem) {
  EXPECT_EQ(format_us(850), "850us");
  EXPECT_EQ(format_us(1500), "1.50ms");
  EXPECT_EQ(format_us(12345), "12.3ms");
  EXPECT_EQ(format_us(250000), "250ms");
  EXPECT_EQ(format_us(4.51e6), "4.51s");
  EXPECT_EQ(format_us(45e6), "45.0s");
  EXPECT_EQ(format_us(750e6), "12m30s");
  EXPECT_EQ(format_us(3600e6 + 12 * 60e6), "1h12m");
  EXPECT_EQ(format_us(7200e6), "2h");
  EXPECT_EQ(format_us(51 * 3600e6), "2d03h");
}

TEST(RenderText, SummaryFitsOneScreenAndNamesTheNumbers) {
  const auto r = testing::make_sample_report(42);
  const auto s = text_summary(r);
  std::size_t lines = 0, widest = 0, start = 0;
  for (std::size_t p; (p = s.find('\n', start)) != std::string::npos; start = p + 1) {
    ++lines;
    widest = std::max(widest, p - start);
  }
  EXPECT_LE(lines, 24u) << s;
  EXPECT_LE(widest, 120u) << s;
  const auto& c = r.metrics.totals();
  EXPECT_NE(s.find("delivered " + std::to_string(c.notifications_delivered)), std::string::npos)
      << s;
  EXPECT_NE(s.find("duplicates"), std::string::npos);
  EXPECT_NE(s.find("drain time     42m17s"), std::string::npos) << s;
  EXPECT_NE(s.find("p99 " + format_us(double(r.metrics.delivery_latency().percentile(99)))),
            std::string::npos);
  EXPECT_NE(s.find("FAIL  duplicates at most 5"), std::string::npos) << s;
  const auto failed =
      std::count_if(r.checks.begin(), r.checks.end(), [](auto& c) { return !c.passed; });
  ASSERT_GT(failed, 0);
  EXPECT_NE(s.find(fmt::format("FAILED ({} of 4 failed)", failed)), std::string::npos) << s;
}

// "simulated" only on the virtual clock: a load test or a real-clock run ran in wall time.
TEST(RenderText, SummarySaysSimulatedOnlyOnTheVirtualClock) {
  auto r = testing::make_sample_report(42);
  EXPECT_NE(text_summary(r).find("  virtual clock, seed 42, 10h simulated (2026-"),
            std::string::npos)
      << text_summary(r);
  r.clock = "real";
  const auto s = text_summary(r);
  EXPECT_NE(s.find("  real clock, seed 42, ran 10h (2026-"), std::string::npos) << s;
  EXPECT_EQ(s.find("simulated"), std::string::npos) << s;
}

TEST(RenderText, SummaryNamesUnsettledNotificationsByStateAndShowsWarnings) {
  run_report r;
  r.name = "stuck";
  r.status.counts.queued = 2;
  r.status.counts.retrying = 5;
  r.warnings.push_back("fault /endpoints/0/faults/1 (erp: nack) never fired");
  const auto s = text_summary(r);
  EXPECT_NE(s.find("queued 2  in flight 0  retrying 5"), std::string::npos) << s;
  EXPECT_EQ(s.find("still queued"), std::string::npos) << s;
  EXPECT_NE(s.find("warning        fault /endpoints/0/faults/1 (erp: nack) never fired"),
            std::string::npos)
      << s;
}

// Twelve passes, then three failures with long texts: the failures come first, whole, and only
// passes are left to junit.xml.
TEST(RenderText, FailuresComeFirstInFullAndOnlyPassesAreLeftOut) {
  run_report r;
  r.name = "many";
  for (int i = 0; i < 12; ++i)
    r.checks.push_back({fmt::format("pass number {}", i), true, "0", "0", ""});
  const std::string long_expected =
      "every notification delivered with its newest values within 2h15m after recovery";
  for (int i = 0; i < 3; ++i)
    r.checks.push_back({fmt::format("failing check number {} with a long name", i), false,
                        "3 stale records", long_expected,
                        "record 001x0000000000" + std::to_string(i)});
  const auto s = text_summary(r);
  const auto first_pass = s.find("    pass  ");
  ASSERT_NE(first_pass, std::string::npos) << s;
  for (int i = 0; i < 3; ++i) {
    const auto at = s.find(fmt::format("FAIL  failing check number {} with a long name", i));
    ASSERT_NE(at, std::string::npos) << s;
    EXPECT_LT(at, first_pass) << s;
    EXPECT_NE(s.find("expected " + long_expected + "\n          record 001x0000000000" +
                     std::to_string(i) + "\n"),
              std::string::npos)
        << s;
  }
  EXPECT_NE(s.find("... and 5 more passed (junit.xml lists every check)"), std::string::npos) << s;
  EXPECT_EQ(s.find("more in junit"), std::string::npos) << s;
}

TEST(RenderText, ClippedTextsEndAfterAWholeWord) {
  run_report r;
  r.checks.push_back(
      {"a check", true, "0", "within the first three hours of the outage window", ""});
  const auto s = text_summary(r);
  EXPECT_NE(s.find("expected within the first three...\n"), std::string::npos) << s;
}

TEST(RenderText, SummaryOfAnEmptyReport) {
  run_report r;
  r.name = "empty";
  const auto s = text_summary(r);
  EXPECT_NE(s.find("outbound run \"empty\": done"), std::string::npos) << s;
  EXPECT_NE(s.find("no samples"), std::string::npos);
}

}  // namespace
}  // namespace outbound::reports
