// `outbound report render RESULT --out DIR` and `outbound report merge RESULT... --out DIR`:
// re-render a report.json, or combine shards exactly and render the result. The exit code is
// the report's verdict (0 every expectation or check passed, 1 one failed), so CI can gate on it.
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
  set_example(merge,
              "outbound report merge shard1/report.json shard2/report.json --out out/merged");
  merge->callback([merge_opts, done] {
    std::vector<reports::run_report> all;
    for (const auto& f : merge_opts->files) {
      all.push_back(reports::read_report(f));
      // Checked here too so that the error names the file rather than the report.
      if (all.back().kind != all.front().kind)
        throw input_error(f, "/kind", "\"" + all.front().kind + "\" like " + merge_opts->files[0]);
      if (all.back().clock != all.front().clock)
        throw input_error(f, "/clock",
                          "\"" + all.front().clock + "\" like " + merge_opts->files[0]);
    }
    done(render_to(reports::merge(all), merge_opts->out));
  });
}

}  // namespace outbound::cli
