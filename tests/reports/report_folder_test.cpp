#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reports/render.hpp"
#include "tests/reports/sample_report.hpp"

namespace outbound::reports {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The sample report's folder, written once per test process: in OUTBOUND_SAMPLE_REPORT_DIR when
// set (kept, for a person to look at), else in a temporary folder of this process, removed at exit.
struct sample_dir {
  fs::path path;
  bool keep = false;
  sample_dir() {
    if (const char* d = std::getenv("OUTBOUND_SAMPLE_REPORT_DIR")) {
      path = d;
      keep = true;
    } else {
      path = fs::temp_directory_path() / ("outbound_sample_report_" + std::to_string(::getpid()));
    }
    fs::remove_all(path);
    write_report_folder(testing::make_sample_report(42), path);
  }
  ~sample_dir() {
    std::error_code ec;
    if (!keep) fs::remove_all(path, ec);
  }
};

const fs::path& sample_folder() {
  static const sample_dir dir;
  return dir.path;
}

TEST(ReportFolder, WritesTheFourFiles) {
  for (const char* f : {"report.json", "report.html", "junit.xml", "status.csv"}) {
    EXPECT_TRUE(fs::exists(sample_folder() / f)) << f;
    EXPECT_GT(fs::file_size(sample_folder() / f), 100u) << f;
    EXPECT_FALSE(fs::exists(sample_folder() / (std::string(f) + ".tmp"))) << f;
  }
  EXPECT_EQ(read_report((sample_folder() / "report.json").string()),
            testing::make_sample_report(42));
}

TEST(ReportFolder, HtmlIsWellFormedAndHasEveryChart) {
  pugi::xml_document doc;
  const auto html = slurp(sample_folder() / "report.html");
  const auto ok = doc.load_string(html.c_str());
  ASSERT_TRUE(ok) << ok.description() << " at " << ok.offset;
  for (const char* id :
       {"chart-throughput", "chart-queue", "chart-latency", "chart-attempts", "chart-errors"}) {
    const auto svg = doc.select_node((std::string("//svg[@id='") + id + "']").c_str());
    ASSERT_TRUE(svg) << id;
    EXPECT_TRUE(svg.node().child("title")) << id;
  }
  // Three fault windows shaded on each time chart; one polyline per series.
  const char* band = "rect[starts-with(@class, 'fault-') and not(contains(@class, 'swatch'))]";
  EXPECT_EQ(
      doc.select_nodes((std::string("//svg[@id='chart-throughput']//") + band).c_str()).size(), 3u);
  EXPECT_EQ(doc.select_nodes((std::string("//svg[@id='chart-queue']//") + band).c_str()).size(),
            3u);
  EXPECT_EQ(doc.select_nodes("//svg[@id='chart-throughput']/polyline").size(), 3u);
  EXPECT_EQ(doc.select_nodes("//svg[@id='chart-latency']/circle").size(), 16u);
  EXPECT_GE(doc.select_nodes("//svg[@id='chart-attempts']/rect[@class='bar']").size(), 5u);
  EXPECT_EQ(doc.select_nodes("//svg[@id='chart-errors']/rect[@class='bar-error']").size(), 3u);
  EXPECT_EQ(doc.select_nodes("//section[@id='expectations']//tbody/tr").size(), 4u);
  EXPECT_GT(doc.select_nodes("//section[@id='delivery-status']//tbody/tr").size(), 1u);
  // Self-contained: nothing loaded from elsewhere.
  EXPECT_TRUE(doc.select_nodes("//script | //link | //img | //iframe | //@src | //@href").empty());
  EXPECT_EQ(html.find("url("), std::string::npos);
}

// The expectations that failed come first, so that nothing to read hides under passes.
TEST(ReportFolder, HtmlListsFailedExpectationsFirst) {
  pugi::xml_document doc;
  const auto html = slurp(sample_folder() / "report.html");
  ASSERT_TRUE(doc.load_string(html.c_str()));
  const auto rows = doc.select_nodes("//section[@id='expectations']//tbody/tr");
  const auto& checks = testing::make_sample_report(42).checks;
  ASSERT_EQ(rows.size(), checks.size());
  const auto failed = static_cast<std::size_t>(
      std::count_if(checks.begin(), checks.end(), [](const auto& c) { return !c.passed; }));
  ASSERT_GT(failed, 0u);
  ASSERT_LT(failed, checks.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_STREQ(rows[i].node().select_node("td[1]/span").node().child_value(),
                 i < failed ? "FAIL" : "pass")
        << "row " << i;
}

TEST(ReportFolder, HtmlEscapesEveryText) {
  auto r = testing::make_sample_report(1, 60);
  r.name = "<script>alert('x')</script> & \"co\"";
  r.parameters["note\x01"] = "a < b > c &";
  r.checks.push_back({"<b>bold</b>", false, "1 & 2", "<= 0", "bad \xff byte"});
  r.faults.push_back({"<evil/>", r.simulated_start, r.simulated_end});
  r.metrics = run_metrics(r.simulated_start, std::chrono::hours(1));
  r.metrics.attempt_sent(r.simulated_start, 1);
  r.metrics.attempt_finished(r.simulated_start, 1, "<cls>", std::chrono::milliseconds(1));
  const auto html = render_html(r);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(html.c_str()));
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<evil/>"), std::string::npos);
  EXPECT_EQ(html.find("<cls>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("\xEF\xBF\xBD"), std::string::npos);  // the bad byte, replaced
}

// A scenario's definitions and endpoints are lists of objects: the parameters table says them in
// words, a row each, and whole (issue 13: a JSON dump cut after 300 bytes, mid-token).
TEST(ReportFolder, HtmlParametersSayListsInWordsAndWhole) {
  auto r = testing::make_sample_report(1, 60);
  const std::string note(400, 'n');  // longer than the old 300-byte cut
  r.parameters["endpoints"] = nlohmann::json::array(
      {{{"name", "sap"},
        {"faults", nlohmann::json::array({{{"kind", "refuse"}, {"after", "3h"}}})}},
       {{"name", "billing"}, {"path", "/bill"}, {"note", note}}});
  const auto html = render_html(r);
  EXPECT_NE(html.find("<td>endpoints 1</td><td class=\"mono\">faults (after 3h, kind refuse), name "
                      "sap</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<td>endpoints 2</td><td class=\"mono\">name billing, note " + note +
                      ", path /bill</td>"),
            std::string::npos);
  EXPECT_EQ(html.find("{&quot;"), std::string::npos);  // no JSON object anywhere on the page
}

TEST(ReportFolder, HtmlListsEveryFaultWithItsFiringsAndTheWarnings) {
  auto r = testing::make_sample_report(1, 60);
  r.fault_entries.push_back({"erp", 0, "erp: refuse", 1, false});
  r.fault_entries.push_back({"erp", 1, "erp: <nack>", 0, true});
  r.warnings.push_back("fault /endpoints/0/faults/1 (erp: <nack>) never fired");
  const auto html = render_html(r);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(html.c_str()));
  EXPECT_NE(html.find(R"(<section id="faults">)"), std::string::npos);
  EXPECT_NE(html.find("warning: fault /endpoints/0/faults/1 (erp: &lt;nack&gt;) never fired"),
            std::string::npos);
  EXPECT_NE(html.find("<td>erp: refuse</td><td class=\"mono\">1</td>"), std::string::npos);
}

TEST(ReportFolder, EmptyReportStillRendersEveryChart) {
  run_report r;
  r.name = "nothing";
  const auto html = render_html(r);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(html.c_str()));
  EXPECT_EQ(doc.select_nodes("//svg[@class='chart']").size(), 5u);
  EXPECT_GE(doc.select_nodes("//text[@class='no-data']").size(), 5u);
}

// A run with nothing to draw (a clean run has no failed attempts) passes the Chromium check: each
// empty chart is laid out and says so.
TEST(ReportFolder, EmptyChartsPassTheChromiumCheck) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium is not installed (apt-get install -y chromium)";
  run_report r;
  r.name = "nothing";
  const auto dir =
      fs::temp_directory_path() / ("outbound_empty_report_" + std::to_string(::getpid()));
  write_report_folder(r, dir);
  const auto out = dir.string() + ".out";
  const auto cmd = std::string(OUTBOUND_SOURCE_DIR) + "/scripts/check-report-html " + dir.string() +
                   " >" + out + " 2>&1";
  const int status = std::system(cmd.c_str());
  const auto printed = slurp(out);
  fs::remove_all(dir);
  fs::remove(out);
  EXPECT_EQ(status, 0) << printed;
  EXPECT_NE(printed.find("ok   chart-errors: "), std::string::npos) << printed;
  EXPECT_NE(printed.find("empty: no failed attempts"), std::string::npos) << printed;
}

TEST(ReportFolder, JunitHasOneCasePerCheckWithTheMeasuredValue) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_file((sample_folder() / "junit.xml").c_str()));
  const auto suite = doc.child("testsuites").child("testsuite");
  ASSERT_TRUE(suite);
  EXPECT_STREQ(suite.attribute("name").value(), "run: sap_downtime");
  EXPECT_EQ(suite.attribute("tests").as_int(), 4);
  const auto r = testing::make_sample_report(42);
  int failures = 0, cases = 0;
  for (auto tc : suite.children("testcase")) {
    const auto& check = r.checks.at(static_cast<std::size_t>(cases++));
    EXPECT_EQ(tc.attribute("name").value(), check.name);
    if (auto f = tc.child("failure")) {
      ++failures;
      EXPECT_FALSE(check.passed);
      EXPECT_NE(std::string(f.attribute("message").value()).find("measured " + check.measured),
                std::string::npos);
    }
  }
  EXPECT_EQ(cases, 4);
  EXPECT_EQ(suite.attribute("failures").as_int(), failures);
  EXPECT_EQ(failures, static_cast<int>(std::count_if(r.checks.begin(), r.checks.end(),
                                                     [](auto& c) { return !c.passed; })));
}

TEST(ReportFolder, StatusCsvHasAHeaderAndOneLinePerRow) {
  const auto csv = slurp(sample_folder() / "status.csv");
  const auto r = testing::make_sample_report(42);
  std::size_t lines = 0;
  for (std::size_t p = 0; (p = csv.find("\r\n", p)) != std::string::npos; p += 2) ++lines;
  EXPECT_EQ(lines, r.status.rows.size() + 1);
  EXPECT_EQ(csv.rfind("state,outbound_message,object,record_id,notification_id,created,", 0), 0u);
  // The failed row's reason holds a quote and a comma.
  EXPECT_NE(csv.find(R"("Ack ""false"" & <soap:Fault>, line 1")"), std::string::npos);
}

// Renders report.html in headless Chromium and finds the charts in the live DOM.
TEST(ReportFolder, ChartsRenderInChromium) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium is not installed (apt-get install -y chromium)";
  const auto cmd = std::string(OUTBOUND_SOURCE_DIR) + "/scripts/check-report-html " +
                   sample_folder().string() + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

// report.json replaces invalid UTF-8 (a name from a definition file) instead of throwing.
TEST(report_folder, writing_survives_invalid_utf8) {
  auto r = testing::make_sample_report(5, 120);
  r.name = "bad \xFF name";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("outbound_report_json_utf8_" + std::to_string(::getpid()));
  EXPECT_NO_THROW(write_report_folder(r, dir.string()));
  EXPECT_EQ(read_report((dir / "report.json").string()).name, "bad \xEF\xBF\xBD name");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace outbound::reports
