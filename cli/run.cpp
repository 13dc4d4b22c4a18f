// `outbound run SCENARIO.json [--out DIR] [--clock real|virtual] [--seed N]`: plays a scenario,
// shows progress on a terminal, prints the summary, writes the report folder, and exits 1 when
// an expectation failed (naming it), 2 for a bad scenario, 130 when Ctrl-C (or SIGTERM) ended
// it early (the report of the run so far is written first).
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "common/clock.hpp"
#include "common/input_error.hpp"
#include "reports/render.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/scenario.hpp"

namespace outbound::cli {
namespace {

struct run_command_options {
  std::string scenario;
  std::string out;
  std::string clock;
  std::optional<std::uint64_t> seed;
  bool progress = false;  // progress lines on a pipe too
};

// One line, redrawn in place on a terminal (plain lines on a pipe with --progress): a bar over the
// workload's length, then simulated time and what is left, wall time, delivered and their rate,
// failed attempts (scenarios::progress_text).
class progress_line {
 public:
  progress_line(const clock& wall, bool asked) : wall_(wall), started_(wall.now()), out_(asked) {}

  bool enabled() const { return out_.enabled(); }

  void draw(const scenarios::run_progress& p) {
    const time_point now = wall_.now();
    constexpr int width = 30;
    const double fraction = p.length.count() > 0
                                ? std::min(1.0, static_cast<double>(p.simulated.count()) /
                                                    static_cast<double>(p.length.count()))
                                : 1.0;
    const int filled = static_cast<int>(fraction * width);
    const std::string bar = std::string(filled, '#') + std::string(width - filled, '.');
    text_ = fmt::format("[{}] {:3.0f}%  {}", bar, fraction * 100,
                        scenarios::progress_text(p, now - started_));
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    out_.show(text_);
  }
  // The last numbers, then the line ends.
  void end() {
    if (!text_.empty()) out_.show(text_, /*last=*/true);
    out_.end();
  }

 private:
  const clock& wall_;
  time_point started_;
  time_point last_{};
  progress_output out_;
  std::string text_;
};

// Set by SIGINT and SIGTERM while a scenario plays; the runner polls it.
volatile std::sig_atomic_t stop_signal = 0;

extern "C" void request_stop(int sig) {
  stop_signal = sig;
}

int run(const run_command_options& o) {
  const scenarios::scenario s = scenarios::load_scenario(o.scenario);
  const std::filesystem::path dir =
      o.out.empty() ? std::filesystem::path("out") / s.name : std::filesystem::path(o.out);
  // Refused before the run rather than after it: a file where the report folder should be.
  if (std::filesystem::exists(dir) && !std::filesystem::is_directory(dir))
    throw input_error(dir.string(), "--out", "a folder for the report (this is a file)");
  scenarios::run_options options;
  if (!o.clock.empty())
    options.clock =
        o.clock == "real" ? scenarios::clock_kind::real : scenarios::clock_kind::virtual_time;
  options.seed = o.seed;
  system_clock wall;
  progress_line line(wall, o.progress);
  if (line.enabled()) options.progress = [&](const scenarios::run_progress& p) { line.draw(p); };

  options.stop_requested = [] { return stop_signal != 0; };
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  const scenarios::run_result result = scenarios::run_scenario(s, options, wall);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  line.end();
  reports::write_report_folder(result.report, dir);
  fmt::print("{}", reports::text_summary(result.report));
  fmt::print("report: {}\n", (dir / "report.html").string());
  if (result.interrupted) {
    fmt::print(stderr, "outbound: run interrupted: the report covers the run so far\n");
    return 130;
  }
  int failed = 0;
  for (const auto& c : result.report.checks) {
    if (c.passed) continue;
    ++failed;
    fmt::print(stderr, "outbound: expectation failed: {}: measured {}, expected {}{}\n", c.name,
               c.measured, c.expected, c.message.empty() ? "" : " (" + c.message + ")");
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

void add_run_command(CLI::App& app, exit_code_sink done) {
  auto* cmd = app.add_subcommand("run", "Play a scenario (outage, slow acks, ...) and judge it");
  auto o = std::make_shared<run_command_options>();
  cmd->add_option("scenario", o->scenario, "Scenario file (JSON, docs/scenarios.md)")
      ->type_name(takes::file)
      ->required();
  cmd->add_option("--out", o->out, "Report folder (default out/<scenario name>)")
      ->type_name(takes::folder);
  cmd->add_option("--clock", o->clock, "real or virtual (default: the scenario's)")
      ->type_name("real|virtual")
      ->check(CLI::IsMember({"real", "virtual"}));
  cmd->add_option("--seed", o->seed, "Random seed (default: the scenario's)")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
  cmd->add_flag("--progress", o->progress, progress_help);
  set_example(cmd, "outbound run scenarios/library/sap_downtime.json --clock virtual --seed 7");
  cmd->callback([o, done] { done(run(*o)); });
}

}  // namespace outbound::cli
