// `outbound report render RESULT --out DIR` and `outbound report merge RESULT... --out DIR
// [--threshold LIMIT...]`: re-render a report.json, or combine shards exactly, evaluate the
// thresholds on the merged result and render it. The exit code is the report's verdict (0 every
// expectation, check and threshold passed, 1 one failed), so CI can gate on it.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "common/input_error.hpp"
#include "reports/render.hpp"
#include "reports/report.hpp"
#include "reports/threshold.hpp"

namespace outbound::cli {

namespace {

int render_to(const reports::run_report& r, const std::string& out) {
  try {
    reports::write_report_folder(r, out);
  } catch (const std::runtime_error& e) {
    throw input_error(out, "",
                      std::string("a folder the report can be written to (") + e.what() + ")");
  }
  std::fputs(reports::text_summary(r).c_str(), stdout);
  fmt::print("report: {}/report.html\n", out);
  return r.passed() ? 0 : 1;
}

}  // namespace

void add_report_command(CLI::App& app, exit_code_sink done) {
  auto* report = app.add_subcommand("report", "Re-render or merge report.json files");
  report->require_subcommand(1);
  set_example(report, "outbound report render out/sap_downtime/report.json --out out/rerendered");

  struct options {
    std::vector<std::string> files;
    std::string out;
    std::vector<std::string> thresholds;
  };
  auto render_opts = std::make_shared<options>();
  auto* render = report->add_subcommand("render", "Re-render a report.json into a report folder");
  render->add_option("RESULT", render_opts->files, "a report.json")
      ->type_name(takes::file)
      ->required()
      ->expected(1);
  render->add_option("--out", render_opts->out, "the folder to write")
      ->type_name(takes::folder)
      ->required();
  set_example(render, "outbound report render out/sap_downtime/report.json --out out/rerendered");
  render->callback([render_opts, done] {
    done(render_to(reports::read_report(render_opts->files.front()), render_opts->out));
  });

  auto merge_opts = std::make_shared<options>();
  auto* merge = report->add_subcommand(
      "merge", "Combine report.json files (shards of one load test, or runs) exactly and render");
  merge->add_option("RESULT", merge_opts->files, "report.json files")
      ->type_name(takes::file)
      ->required()
      ->expected(1, -1);
  merge->add_option("--out", merge_opts->out, "the folder to write")
      ->type_name(takes::folder)
      ->required();
  merge
      ->add_option("--threshold", merge_opts->thresholds,
                   "Pass/fail limit on the merged load test, repeatable: p99<300ms, "
                   "errors<0.1%, achieved_rate>=0.97*rate (docs/thresholds.md); replaces the "
                   "shards' own")
      ->type_name("LIMIT")
      ->allow_extra_args(false);  // one limit per --threshold: the files stay RESULTs
  set_example(merge,
              "outbound report merge shard1/report.json shard2/report.json --out out/merged "
              "--threshold 'p99<300ms'");
  merge->callback([merge_opts, done] {
    std::vector<reports::threshold> thresholds;
    for (const auto& t : merge_opts->thresholds) thresholds.push_back(reports::parse_threshold(t));
    std::vector<reports::run_report> all;
    for (const auto& f : merge_opts->files) all.push_back(reports::read_report(f));
    // The files name the reports in errors and in the merged report's merged_from.
    auto merged = reports::merge(all, merge_opts->files);
    if (!thresholds.empty()) {
      if (merged.kind != "load")
        throw input_error("--threshold", "",
                          "load reports to merge (thresholds measure load tests; got kind \"" +
                              merged.kind + "\")");
      merged.thresholds = reports::evaluate_thresholds(thresholds, merged);
    }
    const int code = render_to(merged, merge_opts->out);
    for (const auto& t : merged.thresholds)
      if (!t.passed)
        fmt::print(stderr, "report merge: threshold {} failed: measured {}, limit {}\n",
                   t.threshold, t.measured, t.limit);
    done(code);
  });
}

}  // namespace outbound::cli
