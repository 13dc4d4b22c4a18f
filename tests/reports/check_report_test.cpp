// The shape of an `outbound check` report: one row per check (sent, came back, why), failures
// first, no sender tiles or charts; JUnit failures that start with the reason.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "reports/render.hpp"

namespace outbound::reports {
namespace {

namespace fs = std::filesystem;

const std::string expected_answer = "HTTP 200, text/xml, Ack true, within 1m";

// Three checks as `outbound check` reports them: a pass, a SOAP fault, an HTML error page.
run_report sample_check_report() {
  run_report r;
  r.kind = "check";
  r.name = "http://127.0.0.1:9/erp";
  r.clock = "real";
  r.seed = 7;
  r.started = r.simulated_start = *parse_timestamp("2026-01-05T09:00:00Z");
  r.finished = r.simulated_end = r.started + std::chrono::milliseconds(40);
  r.parameters = {{"endpoint", r.name}, {"timeout_us", 60000000}};
  r.checks.push_back({"one_notification", true, "HTTP 200 OK, Ack true, in 2.10ms", expected_answer,
                      "", "one notification", ""});
  r.checks.push_back(
      {"hundred_notifications", false,
       "HTTP 500 Internal Server Error, SOAP fault: ERP posting period closed, in 3.00ms",
       expected_answer, "SOAP fault: ERP posting period closed; HTTP 500, expected 200",
       "100 notifications in one message", ""});
  r.checks.push_back(
      {"deleted_record", false,
       "HTTP 502 Bad Gateway, org.xml.sax.SAXParseException: Content is not allowed in prolog., "
       "Content-Type 'text/html', in 1.00ms",
       expected_answer,
       "not an Ack of true (not_xml: org.xml.sax.SAXParseException: Content is not allowed in "
       "prolog.); HTTP 502, expected 200; Content-Type 'text/html', expected text/xml",
       "a deleted record's notification (Id only, no fields)",
       "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad "
       "Gateway</h1></center><hr><center>nginx/1.22.1</center> and a long tail of words that "
       "goes on well past any reasonable excerpt length so that it has to be clipped somewhere "
       "at a word boundary rather than in the middle of one</body></html>"});
  return r;
}

TEST(CheckReport, HtmlHasOneRowPerCheckFailuresFirstAndNoSenderTiles) {
  const auto html = render_html(sample_check_report());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(html.substr(html.find("<html")).c_str())) << "not well-formed";
  const auto rows = doc.select_nodes("//section[@id='checks']//tbody/tr");
  ASSERT_EQ(rows.size(), 3u);
  // Failures first, in the order sent (# is that order); then the pass.
  const char* order[] = {"hundred_notifications", "deleted_record", "one_notification"};
  const char* position[] = {"2", "3", "1"};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto tr = rows[i].node();
    EXPECT_STREQ(tr.select_node("td[3]").node().child_value(), order[i]);
    EXPECT_STREQ(tr.select_node("td[1]").node().child_value(), position[i]);
  }
  const auto fault_row = rows[0].node();
  EXPECT_STREQ(fault_row.select_node("td[4]").node().child_value(),
               "100 notifications in one message");
  EXPECT_NE(std::string(fault_row.select_node("td[5]").node().child_value())
                .find("SOAP fault: ERP posting period closed"),
            std::string::npos);
  // What does not fit a conformance battery is not there.
  for (const char* absent :
       {"failed (failed list)", "Delivery status at the end", "chart-", "data-chart",
        "soapenv:Envelope", "timeout_us</td><td class=\"mono\">6"})
    EXPECT_EQ(html.find(absent), std::string::npos) << absent;
  EXPECT_NE(html.find("Every answer must be: " + expected_answer), std::string::npos);
  EXPECT_NE(html.find("<td>timeout</td><td class=\"mono\">1m</td>"), std::string::npos)
      << "the timeout in human units";
}

TEST(CheckReport, TerminalSummaryListsEveryCheckFailuresFirstWithTheReason) {
  const auto text = text_summary(sample_check_report());
  const auto fault = text.find("  FAIL hundred_notifications  SOAP fault: ERP posting period");
  const auto page = text.find("  FAIL deleted_record");
  const auto pass = text.find("  pass one_notification");
  ASSERT_NE(fault, std::string::npos) << text;
  ASSERT_NE(page, std::string::npos) << text;
  ASSERT_NE(pass, std::string::npos) << text;
  EXPECT_LT(fault, page);
  EXPECT_LT(page, pass);
  EXPECT_NE(text.find("sent       100 notifications in one message"), std::string::npos) << text;
  EXPECT_NE(text.find("body       <html><head>"), std::string::npos) << text;
  EXPECT_NE(text.find("1 of 3 checks passed"), std::string::npos) << text;
  EXPECT_EQ(text.find("accepted"), std::string::npos) << "no sender counters:\n" << text;
}

TEST(CheckReport, JunitFailureStartsWithTheReasonAndClipsTheBodyAtAWord) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(render_junit(sample_check_report()).c_str()));
  const auto failure = doc.select_node("//testcase[@name='deleted_record']/failure").node();
  ASSERT_TRUE(failure);
  const std::string message = failure.attribute("message").value();
  EXPECT_EQ(message.rfind("not an Ack of true (not_xml:", 0), 0u) << message;
  const std::string text = failure.child_value();
  EXPECT_EQ(text.rfind("not an Ack of true (not_xml:", 0), 0u) << text;
  EXPECT_NE(text.find("\nsent: a deleted record's notification"), std::string::npos) << text;
  const auto body = text.find("\nbody: <html>");
  ASSERT_NE(body, std::string::npos) << text;
  EXPECT_GT(body, text.find("\nmeasured: ")) << "the body comes after the reason and answer";
  // Clipped after a whole word.
  ASSERT_EQ(text.substr(text.size() - 3), "...");
  const auto cut = text.substr(0, text.size() - 3);
  const auto last_word = cut.substr(cut.rfind(' ') + 1);
  EXPECT_NE(sample_check_report().checks[2].excerpt.find(" " + last_word + " "), std::string::npos)
      << "cut inside a word: " << last_word;
  const auto fault = doc.select_node("//testcase[@name='hundred_notifications']/failure").node();
  EXPECT_EQ(std::string(fault.attribute("message").value())
                .rfind("SOAP fault: ERP posting period closed", 0),
            0u);
  EXPECT_TRUE(doc.select_node("//testcase[@name='one_notification']/system-out"));
}

// A scenario's expectation: the reason, then what was measured against what was expected.
TEST(CheckReport, JunitFailureOfARunStartsWithTheReasonToo) {
  run_report r;
  r.name = "slow_acks";
  r.checks.push_back({"duplicates_at_most", false, "2541", "<= 5",
                      "2541 notifications received again after they had been acked"});
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(render_junit(r).c_str()));
  const auto failure = doc.select_node("//testcase/failure").node();
  EXPECT_STREQ(failure.attribute("message").value(),
               "2541 notifications received again after they had been acked (measured 2541, "
               "expected <= 5)");
  EXPECT_EQ(std::string(failure.child_value()).rfind("2541 notifications received again", 0), 0u);
}

TEST(CheckReport, JsonKeepsWhatWasSentAndTheBodyExcerpt) {
  const auto r = sample_check_report();
  const auto j = to_json(r);
  EXPECT_EQ(j["checks"][1]["sent"], "100 notifications in one message");
  EXPECT_FALSE(j["checks"][0].contains("excerpt"));
  EXPECT_EQ(report_from_json(j, "report.json"), r);
}

// The page lays out in a real browser, and the checker says there are no charts rather than
// failing on their absence.
TEST(CheckReport, RendersInChromiumWithNoCharts) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "chromium is not installed (apt-get install -y chromium)";
  const auto dir =
      fs::temp_directory_path() / ("outbound_check_report_" + std::to_string(::getpid()));
  write_report_folder(sample_check_report(), dir);
  const auto cmd =
      std::string(OUTBOUND_SOURCE_DIR) + "/scripts/check-report-html " + dir.string() + " 2>&1";
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(cmd.c_str(), "r"), pclose);
  ASSERT_TRUE(pipe);
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
  const int status = pclose(pipe.release());
  fs::remove_all(dir);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("no charts"), std::string::npos) << out;
  EXPECT_NE(out.find("ok   page"), std::string::npos) << out;
}

}  // namespace
}  // namespace outbound::reports
