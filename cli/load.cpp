// `outbound load`: open-loop constant-rate load against a real endpoint (HTTP or HTTPS), latency
// from each message's intended start; one shard of several (--shard K/N sends 1/N of the rate)
// from a common start (--start-at); thresholds decide the exit code. Writes the report folder and
// prints the summary.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <limits>
#include <memory>

#include "cli/commands.hpp"
#include "cli/option_files.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"
#include "modes/builtin_definition.hpp"
#include "modes/load_generator.hpp"
#include "modes/load_report.hpp"
#include "reports/render.hpp"
#include "reports/threshold.hpp"
#include "sender/asio_scheduler.hpp"
#include "sender/destination.hpp"
#include "sender/http_transport.hpp"

namespace outbound::cli {
namespace {

struct load_cli_options {
  std::string endpoint, rate, length, definition, message, shard = "1/1", timeout = "60s";
  std::string ca_file, out = "out/load", start_at;
  std::vector<std::string> thresholds;
  std::size_t batch = 1, connections = 10;
  std::uint64_t seed = 0;
};

// A --start-at earlier than this is refused (the shards would not start together); a shard that
// comes up a little late still starts on the common schedule, its first messages late and
// counted as late.
constexpr duration start_at_grace = std::chrono::seconds(1);
// A --start-at later than this is refused: a typo in the year should not wait for a year.
constexpr duration start_at_horizon = std::chrono::hours(24);

time_point start_at_option(const std::string& text, time_point now) {
  const auto t = parse_wall_time(text);
  if (!t)
    throw input_error("--start-at", "",
                      "an RFC 3339 time such as 2026-01-05T09:00:00Z or 2026-01-05T10:00:00+01:00, "
                      "or @ and Unix seconds such as @1767603600 (got \"" +
                          shorten_value(text) + "\")");
  if (*t < now - start_at_grace)
    throw input_error("--start-at", "",
                      "a time in the future: " + format_timestamp(*t) + " was " +
                          format_duration(std::chrono::floor<std::chrono::seconds>(now - *t)) +
                          " ago (give every shard a start far enough ahead to be ready)");
  if (*t > now + start_at_horizon)
    throw input_error("--start-at", "",
                      "a time within " + format_duration(start_at_horizon) + " from now (got " +
                          format_timestamp(*t) + ")");
  return *t;
}

// With a common start and no --seed, every shard derives the same seed from it: their ids then
// come from one block, each shard its own residue (load_schedule.hpp), and never collide.
std::uint64_t seed_for_start(time_point start_at) {
  return static_cast<std::uint64_t>(start_at.time_since_epoch().count()) | 1;
}

// Without --seed each run draws fresh ids, so a second run against the same listener does not
// look like a redelivery of the first.
std::uint64_t fresh_seed() {
  return static_cast<std::uint64_t>(system_clock().now().time_since_epoch().count());
}

modes::load_options load_options_from(const load_cli_options& o) {
  modes::load_options lo;
  lo.endpoint = sender::parse_destination(o.endpoint, "--endpoint", "");
  lo.definition = o.definition.empty() ? modes::builtin_account_definition()
                                       : load_definition_option(o.definition, o.message);
  const auto r = modes::parse_rate(o.rate);
  if (!r)
    throw input_error("--rate", "",
                      "a rate such as 500/s, 30000/m or 2.5 (got \"" + o.rate + "\")");
  lo.rate = *r;
  lo.length = duration_option(o.length, "--duration");
  lo.batch = o.batch;  // ranges checked as the options are read
  lo.connections = o.connections;
  const auto s = modes::parse_shard(o.shard);
  if (!s)
    throw input_error("--shard", "", "K/N with 1 <= K <= N, such as 2/4 (got \"" + o.shard + "\")");
  lo.shard = *s;
  lo.timeout = duration_option(o.timeout, "--timeout");
  if (!o.ca_file.empty())
    check_tls_authority({read_option_file(o.ca_file, "--ca-file"), o.ca_file, "--ca-file"});
  if (!o.start_at.empty()) lo.start_at = start_at_option(o.start_at, system_clock().now());
  lo.seed = o.seed;
  if (lo.seed == 0) lo.seed = lo.start_at ? seed_for_start(*lo.start_at) : fresh_seed();
  boost::system::error_code ec;
  lo.host = boost::asio::ip::host_name(ec);
  return lo;
}

int run_load(const load_cli_options& o) {
  // Everything is checked before the first message is due.
  const modes::load_options lo = load_options_from(o);
  std::vector<reports::threshold> thresholds;
  for (const auto& t : o.thresholds) thresholds.push_back(reports::parse_threshold(t));
  boost::asio::io_context io;
  system_clock clock;
  sender::asio_scheduler sched(io, clock);
  sender::http_transport_options to;
  to.max_connections = lo.connections;
  to.ca_file = o.ca_file;
  sender::http_transport transport(io, to);
  modes::load_generator generator(sched, transport, lo);

  // Ctrl-C ends the run early; what was measured so far is still reported.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  bool interrupted = false;
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    interrupted = true;
    io.stop();
  });
  // On a terminal, a line redrawn twice a second: elapsed and remaining time, messages sent and
  // answered, errors, and the rate answered so far. Nothing on a pipe or a file.
  boost::asio::steady_timer progress(io);
  const time_point began = lo.start_at ? std::max(*lo.start_at, clock.now()) : clock.now();
  const auto draw = [&] {
    const auto& r = generator.result();
    const duration elapsed = std::max(duration(0), clock.now() - began);
    const duration left = std::max(duration(0), lo.length - elapsed);
    const double seconds = std::chrono::duration<double>(elapsed).count();
    fmt::print("\r{} elapsed, {} left: {} sent, {} answered, {} errors, {:.0f}/s\033[K",
               format_duration(std::chrono::floor<std::chrono::seconds>(elapsed)),
               format_duration(std::chrono::ceil<std::chrono::seconds>(left)), r.sent, r.answered,
               r.metrics.totals().messages_failed,
               seconds > 0 ? static_cast<double>(r.answered) / seconds : 0.0);
    std::fflush(stdout);
  };
  std::function<void()> tick = [&] {
    draw();
    progress.expires_after(std::chrono::milliseconds(500));
    progress.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  };
  const bool on_terminal = ::isatty(STDOUT_FILENO) == 1;
  fmt::print(stderr, "load {}: {} for {}, batch {}, {} connections, shard {} ({}), seed {}\n",
             lo.endpoint.url, modes::format_rate(lo.rate), format_duration(lo.length), lo.batch,
             lo.connections, o.shard, modes::format_rate({modes::shard_rate(lo)}), lo.seed);
  if (lo.start_at) {
    const auto wait = std::max(duration(0), *lo.start_at - clock.now());
    fmt::print(stderr, "load: starting at {} (in {})\n", format_timestamp(*lo.start_at),
               format_duration(std::chrono::floor<std::chrono::milliseconds>(wait)));
    generator.start(*lo.start_at, [&] { io.stop(); });
  } else {
    generator.start([&] { io.stop(); });
  }
  if (on_terminal) tick();
  io.run();
  if (on_terminal) {  // the line ends on the final numbers
    draw();
    fmt::print("\n");
  }

  auto report = modes::load_report(lo, generator.result());
  report.thresholds = reports::evaluate_thresholds(thresholds, report);
  reports::write_report_folder(report, o.out);
  std::fputs(reports::text_summary(report).c_str(), stdout);
  std::fputs(modes::load_summary(lo, generator.result()).c_str(), stdout);
  fmt::print("report: {}\n", o.out);
  for (const auto& t : report.thresholds)
    if (!t.passed)
      fmt::print(stderr, "load: threshold {} failed: measured {}, limit {}\n", t.threshold,
                 t.measured, t.limit);
  if (interrupted) {
    fmt::print(stderr, "load: interrupted after {} of {} messages; the report covers them\n",
               generator.result().sent, generator.result().scheduled);
    return 130;
  }
  return report.passed() ? 0 : 1;
}

}  // namespace

void add_load_command(CLI::App& app, exit_code_sink done) {
  auto* cmd = app.add_subcommand(
      "load", "Open-loop load test of a real listener: constant rate, latency from intended start");
  auto o = std::make_shared<load_cli_options>();
  cmd->add_option("--endpoint", o->endpoint, "Listener URL (http:// or https://)")
      ->type_name(takes::url)
      ->required();
  cmd->add_option("--rate", o->rate, "Messages per second: 500/s, 30000/m, 2.5")
      ->type_name("RATE")
      ->required();
  cmd->add_option("--duration", o->length, "How long messages are started: 30s, 5m")
      ->type_name(takes::duration)
      ->required();
  cmd->add_option("--batch", o->batch, "Notifications per message, 1-100 (default 1)")
      ->type_name(takes::count)
      ->transform(whole_number(1, 100));
  cmd->add_option("--connections", o->connections,
                  "Messages in flight at most, 1-10000; more wait and their wait counts "
                  "(default 10)")
      ->type_name(takes::count)
      ->transform(whole_number(1, 10000));
  cmd->add_option("--definition", o->definition,
                  "Definition: project JSON, *.workflow-meta.xml or an outbound WSDL "
                  "(default: an Account message like Notify ERP)")
      ->type_name(takes::file);
  cmd->add_option("--message", o->message, "outboundMessages fullName in a workflow file")
      ->type_name(takes::name);
  cmd->add_option("--shard", o->shard,
                  "K/N: this process sends 1/N of --rate and its own ids; run N with one "
                  "--start-at, then report merge (docs/distributed.md)")
      ->type_name("K/N");
  cmd->add_option("--start-at", o->start_at,
                  "Wait until this wall-clock time to start (RFC 3339, or @ and Unix seconds): "
                  "every shard's common start; without --seed the seed comes from it")
      ->type_name("TIME");
  cmd->add_option("--threshold", o->thresholds,
                  "Pass/fail limit, repeatable: p99<300ms, service_p99<100ms, errors<0.1%, "
                  "achieved_rate>=0.97*rate (docs/thresholds.md); one failed exits 1")
      ->type_name("LIMIT")
      ->allow_extra_args(false);  // one limit per --threshold, however many are given
  cmd->add_option("--timeout", o->timeout, "Request timeout (default 60s, as Salesforce)")
      ->type_name(takes::duration);
  cmd->add_option("--ca-file", o->ca_file, "PEM file of CAs to trust for https")
      ->type_name(takes::pem);
  cmd->add_option("--out", o->out, "Report folder (default out/load)")->type_name(takes::folder);
  cmd->add_option("--seed", o->seed,
                  "Seed of ids and field values (default: from --start-at, else fresh each run; "
                  "shards of one test must share one)")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
  set_example(cmd, "outbound load --endpoint http://127.0.0.1:8080/ --rate 500/s --duration 60s");
  cmd->callback([o, done] { done(run_load(*o)); });
}

}  // namespace outbound::cli
