// The check report's own HTML sections and terminal summary (reports/check_page.hpp).
#include "reports/check_page.hpp"

#include <fmt/format.h>

#include <vector>

#include "reports/html_page.hpp"
#include "reports/render.hpp"

namespace outbound::reports {

namespace {

// Failed checks first, then passed ones, each group in the order the battery sent them; with
// their position in that order (1-based), which a redelivery's meaning depends on.
std::vector<std::pair<std::size_t, const check_result*>> failures_first(const run_report& r) {
  std::vector<std::pair<std::size_t, const check_result*>> out;
  for (bool passed : {false, true})
    for (std::size_t i = 0; i < r.checks.size(); ++i)
      if (r.checks[i].passed == passed) out.emplace_back(i + 1, &r.checks[i]);
  return out;
}

// The rule every answer was held to, when all checks share it (they do, within one run).
std::string common_expectation(const run_report& r) {
  if (r.checks.empty()) return "";
  for (const auto& c : r.checks)
    if (c.expected != r.checks.front().expected) return "";
  return r.checks.front().expected;
}

std::size_t failed_count(const run_report& r) {
  std::size_t failed = 0;
  for (const auto& c : r.checks) failed += c.passed ? 0 : 1;
  return failed;
}

}  // namespace

std::string check_sections(const run_report& r) {
  const auto expected = common_expectation(r);
  const std::size_t failed = failed_count(r);
  std::string rows;
  for (const auto& [position, c] : failures_first(r)) {
    std::string came_back = esc(c->measured);
    if (!c->excerpt.empty())
      came_back += R"(<div class="excerpt mono">)" + esc(c->excerpt) + "</div>";
    std::string why = esc(c->message);
    if (expected.empty() && !c->passed)
      why += R"(<div class="note">expected )" + esc(c->expected) + "</div>";
    rows += fmt::format(
        R"(<tr class="{}"><td class="num">{}</td><td><span class="badge {}">{}</span></td>)"
        R"(<td class="mono">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
        c->passed ? "passed" : "failed", position, c->passed ? "pass" : "fail",
        c->passed ? "pass" : "FAIL", esc(c->name), esc(c->sent), came_back, why);
  }
  const auto& totals = r.metrics.totals();
  const auto& rt = r.metrics.response_time();
  std::string chips = fmt::format(
      R"(<span class="chip">checks <b>{}</b></span><span class="chip">passed <b>{}</b></span>)"
      R"(<span class="chip">failed <b>{}</b></span><span class="chip">messages sent <b>{}</b></span>)"
      R"(<span class="chip">notifications in them <b>{}</b></span>)",
      r.checks.size(), r.checks.size() - failed, failed, totals.messages_sent,
      totals.notification_attempts);
  if (!rt.empty())
    chips += fmt::format(R"(<span class="chip">slowest answer <b>{}</b></span>)",
                         esc(format_us(double(rt.max()))));
  std::string note = expected.empty() ? std::string("Each check's expectation is under its reason.")
                                      : "Every answer must be: " + expected + ".";
  note += " Failed checks first; # is the order in which the messages were sent, one at a time.";
  return R"(<section id="checks"><h2>Checks</h2><div class="chips">)" + chips +
         R"(</div><table class="checks"><thead><tr><th class="num">#</th><th>result</th>)"
         R"(<th>check</th><th>sent</th><th>came back</th><th>why it failed</th></tr></thead><tbody>)" +
         rows + R"(</tbody></table><p class="note">)" + esc(note) + "</p></section>";
}

std::string check_text_summary(const run_report& r) {
  const std::size_t failed = failed_count(r);
  const std::size_t total = r.checks.size();
  std::string out = fmt::format("outbound check \"{}\": {}\n", r.name,
                                failed ? fmt::format("FAILED ({} of {} failed)", failed, total)
                                       : fmt::format("PASSED ({} of {})", total, total));
  out += fmt::format("  {} messages sent one at a time in {}, seed {}\n",
                     r.metrics.totals().messages_sent,
                     format_us(double((r.finished - r.started).count())), r.seed);
  if (const auto expected = common_expectation(r); !expected.empty())
    out += "  every answer must be: " + expected + "\n";
  for (const auto& [position, c] : failures_first(r)) {
    if (c->passed) {
      out += fmt::format("  pass {:<22} {}: {}\n", c->name, c->sent, c->measured);
      continue;
    }
    // The reason first; then what was sent and what came back, on lines of their own.
    out += fmt::format("  FAIL {:<22} {}\n", c->name, c->message);
    if (!c->sent.empty()) out += "       sent       " + c->sent + "\n";
    out += "       came back  " + c->measured + "\n";
    if (!c->excerpt.empty()) out += "       body       " + c->excerpt + "\n";
    if (common_expectation(r).empty()) out += "       expected   " + c->expected + "\n";
  }
  out += fmt::format("  {} of {} checks passed\n", total - failed, total);
  return out;
}

}  // namespace outbound::reports
