// report.html: one self-contained page (inline CSS and SVG, no script, no external resource).
// Written as well-formed XHTML-compatible markup so tests can parse it as XML.
#include <fmt/format.h>

#include "common/json_text.hpp"
#include "reports/charts.hpp"
#include "reports/check_page.hpp"
#include "reports/html_page.hpp"
#include "reports/render.hpp"
#include "reports/render_load_html.hpp"

namespace outbound::reports {

namespace {

constexpr const char* stylesheet = R"css(
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#1f2937;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 20px 40px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:16px 20px;margin:0 0 16px}
h1{font-size:24px;margin:2px 0 6px;display:flex;align-items:center;gap:12px}
h2{font-size:15px;margin:0 0 10px;color:#111827}
.kicker{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#6b7280}
.sub{color:#4b5563;margin:0 0 12px}
.badge{font-size:13px;font-weight:600;padding:3px 10px;border-radius:999px}
.pass{color:#166534;background:#dcfce7}.fail{color:#991b1b;background:#fee2e2}.none{color:#374151;background:#e5e7eb}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.tile{border:1px solid #e5e7eb;border-radius:8px;padding:10px 12px;background:#fafafa}
.tile .v{font-size:21px;font-weight:600;font-variant-numeric:tabular-nums}
.tile .k{font-size:11.5px;color:#6b7280;text-transform:uppercase;letter-spacing:.04em}
.tile.bad .v{color:#b91c1c}.tile.good .v{color:#15803d}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 7px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{font-size:11.5px;color:#6b7280;text-transform:uppercase;letter-spacing:.04em;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.nowrap{white-space:nowrap}
table.status{font-size:12.5px}
td.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
table.params td:first-child{color:#6b7280;width:220px}
.scroll{max-height:560px;overflow:auto}
.note{color:#6b7280;font-size:12.5px;margin:8px 0 0}
.chips{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 12px}
.chip{border-radius:6px;padding:3px 10px;background:#f3f4f6;font-size:13px}
.chip b{font-variant-numeric:tabular-nums}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#eceef1;stroke-width:1}svg .axis{stroke:#9ca3af;stroke-width:1}
svg .tick{font-size:11px;fill:#6b7280}svg .axis-label,svg .legend{font-size:12px;fill:#374151}
svg polyline{fill:none;stroke-width:1.8;stroke-linejoin:round;stroke-linecap:round}
.s-sent{stroke:#2563eb}.s-sent-swatch{fill:#2563eb}
.s-acked{stroke:#16a34a}.s-acked-swatch{fill:#16a34a}
.s-failed{stroke:#dc2626}.s-failed-swatch{fill:#dc2626}
.s-queue{stroke:#0e7490}.s-queue-swatch{fill:#0e7490}
.s-queuemax{stroke:#67e8f9;stroke-width:1}.s-queuemax-area{fill:#cffafe;opacity:.8}.s-queuemax-swatch{fill:#a5f3fc}
.s-inflight{stroke:#ea580c}.s-inflight-swatch{fill:#ea580c}
.s-retries{stroke:#7c3aed;stroke-dasharray:5 3}.s-retries-swatch{fill:#7c3aed}
.s-latency{stroke:#2563eb}.s-latency-dot{fill:#2563eb}.s-latency-swatch{fill:#2563eb}.s-latency-value{font-size:10.5px;fill:#1e40af}
.s-response{stroke:#d97706}.s-response-dot{fill:#d97706}.s-response-swatch{fill:#d97706}.s-response-value{font-size:10.5px;fill:#92400e}
.fault-0{fill:#f59e0b;opacity:.18}.fault-0-swatch{fill:#f59e0b;opacity:.6}
.fault-1{fill:#e11d48;opacity:.14}.fault-1-swatch{fill:#e11d48;opacity:.5}
.fault-2{fill:#7c3aed;opacity:.14}.fault-2-swatch{fill:#7c3aed;opacity:.5}
.fault-3{fill:#0284c7;opacity:.14}.fault-3-swatch{fill:#0284c7;opacity:.5}
.fault-4{fill:#65a30d;opacity:.16}.fault-4-swatch{fill:#65a30d;opacity:.55}
.fault-5{fill:#57534e;opacity:.14}.fault-5-swatch{fill:#57534e;opacity:.5}
.band-label{font-size:11px;fill:#44403c}
.marker{stroke-width:1.5}.marker-label{font-size:10.5px}
.m-recovery{stroke:#15803d;stroke-dasharray:6 3}.m-recovery-swatch{fill:#15803d}.m-recovery-label{fill:#15803d}
.m-drain{stroke:#0f766e}.m-drain-swatch{fill:#0f766e}.m-drain-label{fill:#0f766e}
.m-during{stroke:#6d28d9;stroke-dasharray:2 3}.m-during-swatch{fill:#6d28d9}.m-during-label{fill:#6d28d9}
.bar{fill:#6366f1}.bar-error{fill:#ef4444}.bar-value{font-size:11px;fill:#374151}.bar-label{font-size:12.5px;fill:#374151}
.no-data{font-size:14px;fill:#9ca3af}
table.checks tr.failed td{background:#fef2f2}
.excerpt{color:#4b5563;margin-top:4px;overflow-wrap:anywhere}
footer{color:#9ca3af;font-size:12px;text-align:center}
)css";

// A structured parameter for people: an object as "key value, key value", a list as its items
// separated by "; " (nested lists in parentheses); never a JSON dump cut in the middle.
std::string readable(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object()) {
    std::string out;
    for (const auto& [k, v] : j.items())
      out += (out.empty() ? "" : ", ") + k + " " +
             (v.is_array() ? "(" + readable(v) + ")" : readable(v));
    return out;
  }
  if (j.is_array()) {
    std::string out;
    for (const auto& e : j) out += (out.empty() ? "" : "; ") + readable(e);
    return out;
  }
  return dump_json(j);
}

void flatten(const nlohmann::json& j, const std::string& prefix, std::string& rows) {
  if (j.is_object() && !j.empty()) {
    for (const auto& [k, v] : j.items()) flatten(v, prefix.empty() ? k : prefix + "." + k, rows);
    return;
  }
  // A list of objects (a scenario's definitions and endpoints): a row each, in words.
  if (j.is_array() && j.size() > 1 && j.front().is_object()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      flatten(nlohmann::json(readable(j[i])), fmt::format("{} {}", prefix, i + 1), rows);
    return;
  }
  // Microseconds are for scripts; people read "timeout 1m" (report.json keeps timeout_us).
  const bool micros = prefix.ends_with("_us") && j.is_number_integer();
  auto value = micros ? format_us(j.get<double>()) : readable(j);
  // Only a pasted megabyte is cut (after a whole word): a description is read whole.
  if (value.size() > 2000) value = clip_words(value, 2000);
  const auto name = micros ? prefix.substr(0, prefix.size() - 3) : prefix;
  rows += "<tr><td>" + esc(name) + "</td><td class=\"mono\">" + esc(value) + "</td></tr>";
}

std::string tile(const std::string& key, const std::string& value, const char* cls = "") {
  return fmt::format(R"(<div class="tile {}"><div class="k">{}</div><div class="v">{}</div></div>)",
                     cls, esc(key), esc(value));
}

std::string title_block(const run_report& r) {
  const auto badge = verdict_badge(r, "no expectations");
  std::string params;
  flatten(r.parameters, "", params);
  const auto span = r.simulated_end - r.simulated_start;
  return fmt::format(
      R"(<section><div class="kicker">outbound &#183; {} report</div><h1>{} {}</h1>)"
      R"(<p class="sub">{} clock &#183; seed {} &#183; {} {} to {} UTC ({}) &#183; {} of wall time, finished {} UTC</p>)"
      R"(<table class="params"><tbody>{}</tbody></table></section>)",
      esc(r.kind), esc(r.name), badge, esc(r.clock), r.seed,
      r.clock == "virtual" ? "simulated" : "ran", table_time(r.simulated_start),
      table_time(r.simulated_end), esc(format_us(double(span.count()))),
      esc(format_us(double((r.finished - r.started).count()))), table_time(r.finished), params);
}

std::string tiles(const run_report& r) {
  const auto& c = r.metrics.totals();
  const auto& lat = r.metrics.delivery_latency();
  auto n = [](std::uint64_t v) { return std::to_string(v); };
  std::string t =
      tile("accepted", n(c.notifications_accepted)) +
      tile("delivered", n(c.notifications_delivered), "good") +
      tile("failed (failed list)", n(c.notifications_failed), c.notifications_failed ? "bad" : "") +
      tile("dropped (expired)", n(c.notifications_dropped), c.notifications_dropped ? "bad" : "") +
      tile("deleted", n(c.notifications_deleted)) + tile("still queued", n(c.still_queued()));
  if (r.ledger)
    t += tile("duplicates (again after an ack)", n(r.ledger->duplicates),
              r.ledger->duplicates ? "bad" : "");
  if (r.drain_time) t += tile("drain time", format_us(double(r.drain_time->count())));
  t += tile("messages sent", n(c.messages_sent)) + tile("failed attempts", n(c.messages_failed));
  if (!lat.empty()) {
    t += tile("latency p50", format_us(double(lat.percentile(50)))) +
         tile("latency p99", format_us(double(lat.percentile(99)))) +
         tile("latency max", format_us(double(lat.max())));
  }
  return R"(<section><h2>Summary</h2><div class="tiles">)" + t + "</div></section>";
}

// Load thresholds with what was measured against each limit (docs/thresholds.md).
std::string thresholds_table(const run_report& r) {
  if (r.thresholds.empty()) return "";
  std::string rows;
  for (const bool failing : {true, false})  // what failed first
    for (const auto& t : r.thresholds)
      if (t.passed != failing) rows += threshold_row(t);
  return R"(<section id="thresholds"><h2>Thresholds</h2><table><thead><tr><th>result</th><th>threshold</th><th>measured</th><th>limit</th></tr></thead><tbody>)" +
         rows + "</tbody></table></section>";
}

std::string checks_table(const run_report& r) {
  if (r.checks.empty()) return "";
  std::string rows;
  // Failures first, each group in the scenario's order: the ones to read are on top.
  std::vector<const check_result*> order;
  for (bool passed : {false, true})
    for (const auto& c : r.checks)
      if (c.passed == passed) order.push_back(&c);
  for (const check_result* k : order) {
    const auto& c = *k;
    rows += fmt::format(
        R"(<tr><td><span class="badge {}">{}</span></td><td>{}</td><td class="mono">{}</td><td class="mono">{}</td><td>{}</td></tr>)",
        c.passed ? "pass" : "fail", c.passed ? "pass" : "FAIL", esc(c.name), esc(c.measured),
        esc(c.expected), esc(c.message));
  }
  return R"(<section id="expectations"><h2>)" + std::string("Expectations") +
         R"(</h2><table><thead><tr><th>result</th><th>name</th><th>measured</th><th>expected</th><th>message</th></tr></thead><tbody>)" +
         rows + "</tbody></table></section>";
}

// Declared faults with their firings; warnings (a fault that never fired, ...) above them.
std::string faults_table(const run_report& r) {
  if (r.fault_entries.empty() && r.warnings.empty()) return "";
  std::string out = R"(<section id="faults"><h2>Faults</h2>)";
  for (const auto& w : r.warnings) out += R"(<p class="note">warning: )" + esc(w) + "</p>";
  if (!r.fault_entries.empty()) {
    out +=
        R"(<table><thead><tr><th>endpoint</th><th>#</th><th>fault</th><th>fired</th></tr></thead><tbody>)";
    for (const auto& e : r.fault_entries)
      out += fmt::format(
          R"(<tr><td>{}</td><td class="mono">{}</td><td>{}</td><td class="mono">{}</td></tr>)",
          esc(e.endpoint), e.index, esc(e.label), e.fired);
    out += "</tbody></table>";
  }
  return out + "</section>";
}

std::string chart_section(const char* title, const std::string& svg, const char* note) {
  return fmt::format(R"(<section><h2>{}</h2>{}<p class="note">{}</p></section>)", title, svg, note);
}

std::string status_section(const run_report& r) {
  constexpr std::size_t shown = 200;
  const auto& k = r.status.counts;
  std::string chips;
  for (const auto& [name, v] : {std::pair{"queued", k.queued},
                                {"in flight", k.in_flight},
                                {"retrying", k.retrying},
                                {"delivered", k.delivered},
                                {"failed", k.failed},
                                {"dropped", k.dropped},
                                {"deleted", k.deleted}})
    chips += fmt::format(R"(<span class="chip">{} <b>{}</b></span>)", name, v);
  std::string rows;
  for (std::size_t i = 0; i < r.status.rows.size() && i < shown; ++i) {
    const auto& row = r.status.rows[i];
    const auto reason = row.reason.size() > 140 ? row.reason.substr(0, 137) + "..." : row.reason;
    rows += fmt::format(
        R"(<tr><td>{}</td><td>{}</td><td>{}</td><td class="mono">{}</td><td class="mono">{}</td><td class="nowrap">{}</td><td class="num">{}</td><td class="nowrap">{}</td><td title="{}">{}</td></tr>)",
        esc(row.state), esc(row.outbound_message), esc(row.object), esc(row.record_id),
        esc(row.notification_id), table_time(row.created), row.attempts,
        row.next_attempt ? table_time(*row.next_attempt) : "", esc(row.reason), esc(reason));
  }
  std::string note = r.status.rows.empty() ? "No notification is queued, retrying or failed."
                     : r.status.rows.size() > shown
                         ? fmt::format("First {} of {} rows; status.csv has all of them.", shown,
                                       r.status.rows.size())
                         : fmt::format("{} rows; also in status.csv.", r.status.rows.size());
  return R"(<section id="delivery-status"><h2>Delivery status at the end</h2><div class="chips">)" +
         chips +
         R"(</div><div class="scroll"><table class="status"><thead><tr><th>state</th><th>outbound message</th><th>object</th><th>record id</th><th>notification id</th><th>created (UTC)</th><th class="num">attempts</th><th>next attempt (UTC)</th><th>delivery failure reason</th></tr></thead><tbody>)" +
         rows + R"(</tbody></table></div><p class="note">)" + esc(note) + "</p></section>";
}

std::string ledger_section(const run_report& r) {
  if (!r.ledger) return "";
  const auto& l = *r.ledger;
  std::string rows;
  auto row = [&](const std::string& k, std::uint64_t v) {
    rows += fmt::format(R"(<tr><td>{}</td><td class="num">{}</td></tr>)", esc(k), v);
  };
  row("SOAP messages received", l.messages);
  row("notifications received (with repeats)", l.notifications);
  row("unique notification ids", l.unique);
  row("retries: received again before the listener had acked them (re-sends after failures)",
      l.retries);
  row("duplicates: received again after the listener had acked them (the ack late, lost or not "
      "taken)",
      l.duplicates);
  row("stale (older data than already seen)", l.stale);
  for (const auto& [kind, n] : l.faults_injected) row("faults injected: " + kind, n);
  return R"(<section><h2>What the endpoint saw</h2><table><tbody>)" + rows +
         "</tbody></table></section>";
}

std::string counters_section(const run_report& r) {
  const auto& c = r.metrics.totals();
  std::string rows;
  auto row = [&](const char* k, std::uint64_t v, const char* what) {
    rows += fmt::format(R"(<tr><td class="mono">{}</td><td class="num">{}</td><td>{}</td></tr>)", k,
                        v, what);
  };
  row("notifications_accepted", c.notifications_accepted, "taken into the queue");
  row("notifications_delivered", c.notifications_delivered, "acked; subset of accepted");
  row("notifications_failed", c.notifications_failed,
      "expired to the failed list; subset of accepted");
  row("notifications_dropped", c.notifications_dropped,
      "expired without a dead-letter queue; subset of accepted");
  row("notifications_deleted", c.notifications_deleted, "deleted by a user; subset of accepted");
  row("still_queued", c.still_queued(), "accepted minus the four above");
  row("messages_sent", c.messages_sent, "SOAP messages (attempts), 1 to 100 notifications each");
  row("messages_acked", c.messages_acked, "of messages_sent, answered 200 with Ack true");
  row("messages_failed", c.messages_failed, "of messages_sent, failed in any way");
  row("notification_attempts", c.notification_attempts, "notifications carried by sent messages");
  row("notification_retries", c.notification_retries,
      "of notification_attempts, second or later tries");
  return R"(<section><h2>Counters</h2><table><tbody>)" + rows + "</tbody></table></section>";
}

std::string footer(const run_report& r) {
  return fmt::format(
      "<footer>outbound report format {} &#183; report.json holds every number on this page"
      "</footer></main></body></html>\n",
      r.format_version);
}

}  // namespace

std::string esc(std::string_view s) {
  return xml_escape_text(s);
}

std::string table_time(time_point t) {
  const auto s = format_timestamp_us(t);
  return s.substr(0, 10) + " " + s.substr(11, 8);
}

std::string verdict_badge(const run_report& r, std::string_view none) {
  // Load thresholds count like expectations; a run that stopped early fails.
  std::size_t failed = 0;
  for (const auto& c : r.checks) failed += c.passed ? 0 : 1;
  for (const auto& t : r.thresholds) failed += t.passed ? 0 : 1;
  const std::size_t total = r.checks.size() + r.thresholds.size();
  if (failed)
    return fmt::format(R"(<span class="badge fail">FAILED {} of {}</span>)", failed, total);
  if (!r.passed()) return R"(<span class="badge fail">FAILED: stopped early</span>)";
  if (total) return fmt::format(R"(<span class="badge pass">PASSED {} of {}</span>)", total, total);
  return fmt::format(R"(<span class="badge none">{}</span>)", esc(std::string(none)));
}

std::string threshold_row(const threshold_result& t) {
  return fmt::format(
      R"(<tr><td><span class="badge {}">{}</span></td><td class="mono">{}</td><td class="mono">{}</td><td class="mono">{}</td></tr>)",
      t.passed ? "pass" : "fail", t.passed ? "pass" : "FAIL", esc(t.threshold), esc(t.measured),
      esc(t.limit));
}

std::string_view report_stylesheet() {
  return stylesheet;
}

std::string render_html(const run_report& r) {
  if (r.kind == "load" && r.load) return render_load_html(r);  // its own page
  std::string out;
  out.reserve(64 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>";
  out += R"(<meta name="viewport" content="width=device-width, initial-scale=1"/>)";
  out += "<title>" + esc("outbound " + r.kind + " report: " + r.name) + "</title>";
  out += std::string("<style>") + stylesheet + "</style></head><body><main>";
  out += title_block(r);
  if (r.kind == "check") {  // a conformance battery: no sender tiles, queue or status table
    return out + check_sections(r) + footer(r);
  }
  out += tiles(r);
  out += thresholds_table(r);
  out += checks_table(r);
  out += faults_table(r);
  out += chart_section("Throughput", throughput_chart(r),
                       "Notifications carried by messages sent, acked and failed in each interval; "
                       "shaded bands are the fault windows.");
  out += chart_section("Queue", queue_chart(r),
                       "Notifications not yet in a final state: the level at the end of each "
                       "interval and its peak; in flight and retries due.");
  out += chart_section("Latency", latency_chart(r),
                       "Delivery latency from creation to ack and response time per attempt, at "
                       "each percentile (log scale, within 1%).");
  out += chart_section("Attempts per notification", attempts_chart(r),
                       "For every notification that reached a final state.");
  out += chart_section("Errors by class", errors_chart(r),
                       "Failed delivery attempts by failure class, as the sender classifies them.");
  out += status_section(r);
  out += ledger_section(r);
  out += counters_section(r);
  return out + footer(r);
}

}  // namespace outbound::reports
