// junit.xml: one testsuite per report, one testcase per expectation, check or threshold, for CI
// systems; a report with none of them (a load test without thresholds) has one testcase for the run
// itself, so that CI systems which reject an empty suite (Jenkins) accept it, and so does a run
// that stopped early, so that the failure shows. Built as a pugixml document so that escaping and
// well-formedness come from the library.
#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>

#include "reports/render.hpp"
#include "reports/render_load_html.hpp"

namespace outbound::reports {

namespace {
// pugixml escapes markup but passes control characters and bad UTF-8 through.
std::string clean(std::string_view s) {
  return xml_clean(s);
}

// The testcase for the run itself: it completed; a load test ran to the end (every message it
// was to send was sent and answered).
check_result run_case(const run_report& r) {
  check_result c;
  c.name = r.shards.empty() ? "completed" : "ran to the end";
  c.passed = true;
  std::uint64_t scheduled = 0, answered = 0;
  for (const auto& s : r.shards) {
    scheduled += s.scheduled;
    answered += s.answered;
    c.passed = c.passed && s.ran_to_the_end();
  }
  c.measured =
      r.shards.empty() ? "done" : fmt::format("{} of {} messages answered", answered, scheduled);
  c.expected = r.shards.empty() ? "done" : fmt::format("{} of {}", scheduled, scheduled);
  if (!c.passed) c.message = "stopped early (interrupted)";
  return c;
}

}  // namespace

std::string render_junit(const run_report& r) {
  // Thresholds are test cases like checks; only the type of their failures differs.
  std::vector<std::pair<check_result, const char*>> cases;
  const char* check_type = r.kind == "check" ? "check" : "expectation";
  for (const auto& c : r.checks) cases.emplace_back(c, check_type);
  for (const auto& t : r.thresholds)
    cases.emplace_back(check_result{t.threshold, t.passed, t.measured, t.limit, ""}, "threshold");
  const bool ran_to_the_end = std::all_of(r.shards.begin(), r.shards.end(),
                                          [](const load_shard& s) { return s.ran_to_the_end(); });
  // A merged load report says which shard stopped in its own check.
  if (cases.empty() || (!ran_to_the_end && r.checks.empty()))
    cases.emplace_back(run_case(r), "run");
  std::size_t failures = 0;
  for (const auto& [c, type] : cases) failures += c.passed ? 0 : 1;
  const auto seconds = fmt::format("{:.3f}", double((r.finished - r.started).count()) / 1e6);
  const auto tests = std::to_string(cases.size());

  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto suites = doc.append_child("testsuites");
  suites.append_attribute("name") = "outbound";
  suites.append_attribute("tests") = tests.c_str();
  suites.append_attribute("failures") = std::to_string(failures).c_str();
  suites.append_attribute("errors") = "0";
  suites.append_attribute("time") = seconds.c_str();
  auto suite = suites.append_child("testsuite");
  suite.append_attribute("name") = clean(r.kind + ": " + r.name).c_str();
  suite.append_attribute("tests") = tests.c_str();
  suite.append_attribute("failures") = std::to_string(failures).c_str();
  suite.append_attribute("errors") = "0";
  suite.append_attribute("skipped") = "0";
  suite.append_attribute("time") = seconds.c_str();
  suite.append_attribute("timestamp") = format_timestamp_us(r.started).substr(0, 19).c_str();
  auto props = suite.append_child("properties");
  auto prop = [&](const char* name, const std::string& value) {
    auto p = props.append_child("property");
    p.append_attribute("name") = name;
    p.append_attribute("value") = clean(value).c_str();
  };
  prop("kind", r.kind);
  prop("clock", r.clock);
  prop("seed", std::to_string(r.seed));
  prop("simulated_start", format_timestamp_us(r.simulated_start));
  prop("simulated_end", format_timestamp_us(r.simulated_end));
  // In words and human units ("duration 30.0s", not "duration_us":30000000): CI pages show it.
  prop("parameters", parameters_text(r.parameters));

  const auto classname = clean("outbound." + r.kind + "." + r.name);
  for (const auto& [c, type] : cases) {
    auto tc = suite.append_child("testcase");
    tc.append_attribute("classname") = classname.c_str();
    tc.append_attribute("name") = clean(c.name).c_str();
    tc.append_attribute("time") = "0";
    // Reason first (what a CI page shows in one line), then what was sent, measured and
    // expected, then the start of a response body, clipped at a word.
    // A threshold has a limit, as the summary and the page say; a check an expected value.
    const std::string_view bound = std::string_view(type) == "threshold" ? "limit" : "expected";
    const std::string measured_vs_expected =
        fmt::format("measured {}, {} {}", c.measured, bound, c.expected);
    std::string detail = c.message.empty() ? "" : c.message + "\n";
    if (!c.sent.empty()) detail += "sent: " + c.sent + "\n";
    detail += fmt::format("measured: {}\n{}: {}", c.measured, bound, c.expected);
    if (!c.excerpt.empty()) detail += "\nbody: " + clip_words(c.excerpt, 200);
    if (c.passed) {
      tc.append_child("system-out").text() = clean(detail).c_str();
      continue;
    }
    auto f = tc.append_child("failure");
    // The reason, then measured vs expected; a check's answer is in the text (it is long).
    std::string message = c.message.empty() ? measured_vs_expected
                          : c.sent.empty()  ? c.message + " (" + measured_vs_expected + ")"
                                            : c.message;
    if (!c.excerpt.empty()) message += "; body: " + clip_words(c.excerpt, 120);
    message = clip_words(message, 400);
    f.append_attribute("message") = clean(message).c_str();
    f.append_attribute("type") = type;
    f.text() = clean(detail).c_str();
  }
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace outbound::reports
