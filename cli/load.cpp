// `outbound load`: open-loop load against a real endpoint (HTTP or HTTPS) at a constant rate or
// by a profile's stages and mix (--profile), latency from each message's intended start; one shard
// of several (--shard K/N sends 1/N of the rate) from a common start (--start-at); thresholds
// decide the exit code. Writes the report folder and prints the summary.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/host_name.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>

#include "cli/commands.hpp"
#include "cli/option_files.hpp"
#include "cli/progress.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"
#include "modes/builtin_definition.hpp"
#include "modes/load_generator.hpp"
#include "modes/load_profile.hpp"
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
  std::string ca_file, out = "out/load", start_at, profile;
  std::vector<std::string> thresholds;
  std::size_t batch = 1, connections = 10;
  std::uint64_t seed = 0;
  bool progress = false;  // progress lines on a pipe too
  // Which options were given, to tell an override from a default (CLI11 fills them in later).
  std::function<bool(const char*)> given = [](const char*) { return false; };
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

// The profile's own word for what an option conflicts with, in the refusal.
void refuse_with_profile(const char* option, const std::string& profile, const char* key) {
  throw input_error(option, "",
                    fmt::format("no {} with a profile that has \"{}\" ({}): the profile's {} "
                                "replace it; drop one of the two",
                                option, key, profile, key));
}

// A constant rate from --rate and --duration, or the profile's stages (then neither is allowed).
void schedule_from(const load_cli_options& o, const modes::load_profile* p,
                   modes::load_options& lo) {
  if (p && !p->stages.empty()) {
    for (const char* option : {"--rate", "--duration"})
      if (o.given(option)) refuse_with_profile(option, p->file, "stages");
    lo.stages = p->stages;
    lo.length = modes::arrival_plan(lo.stages).length();
    return;
  }
  const char* missing =
      o.given("--rate") ? (o.given("--duration") ? nullptr : "--duration") : "--rate";
  if (missing)
    throw input_error(missing, "",
                      std::string(missing) == "--rate"
                          ? "a rate such as 500/s (required, unless --profile has \"stages\")"
                          : "a duration such as 60s (required, unless --profile has \"stages\")");
  const auto r = modes::parse_rate(o.rate);
  if (!r)
    throw input_error("--rate", "",
                      "a rate such as 500/s, 30000/m or 2.5 (got \"" + o.rate + "\")");
  lo.rate = *r;
  lo.length = duration_option(o.length, "--duration");
}

// --definition, --message and --batch, or the profile's definitions (then none of the three).
void mix_from(const load_cli_options& o, const modes::load_profile* p, modes::load_options& lo) {
  if (p && !p->definitions.empty()) {
    for (const char* option : {"--definition", "--message", "--batch"})
      if (o.given(option)) refuse_with_profile(option, p->file, "definitions");
    lo.definitions = p->definitions;
    lo.definition = p->definitions.front().definition;
    return;
  }
  lo.definition = o.definition.empty() ? modes::builtin_account_definition()
                                       : load_definition_option(o.definition, o.message);
  lo.batch = o.batch;  // range checked as the options are read
}

// The options of the run: the command line's, the profile's where the command line says nothing
// (docs/load.md: options override a profile's scalars and conflict with its stages and
// definitions).
modes::load_options load_options_from(const load_cli_options& o,
                                      std::vector<reports::threshold>& thresholds) {
  std::optional<modes::load_profile> profile;
  if (!o.profile.empty()) profile = modes::read_load_profile(o.profile);
  const modes::load_profile* p = profile ? &*profile : nullptr;
  modes::load_options lo;
  if (!o.given("--endpoint") && !(p && p->endpoint))
    throw input_error("--endpoint", "",
                      "a listener URL such as http://127.0.0.1:8080/ (required, unless --profile "
                      "has \"endpoint\")");
  lo.endpoint = o.given("--endpoint")
                    ? sender::parse_destination(o.endpoint, "--endpoint", "")
                    : sender::parse_destination(*p->endpoint, p->file, "/endpoint");
  schedule_from(o, p, lo);
  mix_from(o, p, lo);
  lo.connections =
      p && p->connections && !o.given("--connections") ? *p->connections : o.connections;
  const auto s = modes::parse_shard(o.shard);
  if (!s)
    throw input_error("--shard", "", "K/N with 1 <= K <= N, such as 2/4 (got \"" + o.shard + "\")");
  lo.shard = *s;
  lo.timeout = p && p->timeout && !o.given("--timeout") ? *p->timeout
                                                        : duration_option(o.timeout, "--timeout");
  if (!o.ca_file.empty())
    check_tls_authority({read_option_file(o.ca_file, "--ca-file"), o.ca_file, "--ca-file"});
  if (!o.start_at.empty()) lo.start_at = start_at_option(o.start_at, system_clock().now());
  lo.seed = p && p->seed && !o.given("--seed") ? *p->seed : o.seed;
  if (lo.seed == 0) lo.seed = lo.start_at ? seed_for_start(*lo.start_at) : fresh_seed();
  if (p) lo.profile = p->file;
  // --threshold replaces the profile's thresholds, as it does on `report merge`.
  for (const auto& t : o.thresholds) thresholds.push_back(reports::parse_threshold(t));
  if (o.thresholds.empty() && p) thresholds = p->thresholds;
  boost::system::error_code ec;
  lo.host = boost::asio::ip::host_name(ec);
  return lo;
}

int run_load(const load_cli_options& o) {
  // Everything is checked before the first message is due.
  std::vector<reports::threshold> thresholds;
  const modes::load_options lo = load_options_from(o, thresholds);
  boost::asio::io_context io(1);  // run by this thread alone: Asio skips some locking
  system_clock clock;
  sender::asio_scheduler sched(io, clock);
  sender::http_transport_options to;
  to.max_connections = lo.connections;
  to.ca_file = o.ca_file;
  sender::http_transport transport(io, to);
  modes::load_generator generator(sched, transport, lo);
  const duration length = modes::plan_of(lo).length();

  // Ctrl-C ends the run early; what was measured so far is still reported.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  bool interrupted = false;
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    interrupted = true;
    io.stop();
  });
  // On a terminal, a line redrawn twice a second: elapsed and remaining time, messages sent and
  // answered, errors, and the rate answered so far. On a pipe or a file only with --progress.
  boost::asio::steady_timer progress(io);
  progress_output out(o.progress);
  const time_point began = lo.start_at ? std::max(*lo.start_at, clock.now()) : clock.now();
  const auto draw = [&](bool last) {
    const auto& r = generator.result();
    if (const auto now = clock.now(); now < began) {  // waiting for --start-at
      out.show("starting in " +
               format_duration(std::chrono::ceil<std::chrono::seconds>(began - now)) + " (" +
               format_timestamp(began).substr(0, 19) + " UTC)");
      return;
    }
    const duration elapsed = clock.now() - began;
    const double seconds = std::chrono::duration<double>(elapsed).count();
    // Past the schedule's end the run waits for the last answers: say so, not "0s left".
    const std::string left =
        last && r.answered == r.scheduled ? "done"
        : elapsed < length
            ? format_duration(std::chrono::ceil<std::chrono::seconds>(length - elapsed)) + " left"
            : fmt::format("draining {} unanswered", r.scheduled - r.answered);
    out.show(fmt::format("{} elapsed, {}: {} sent, {} answered, {} errors, {:.0f}/s",
                         format_duration(std::chrono::floor<std::chrono::seconds>(elapsed)), left,
                         r.sent, r.answered, r.metrics.totals().messages_failed,
                         seconds > 0 ? static_cast<double>(r.answered) / seconds : 0.0),
             last);
  };
  std::function<void()> tick = [&] {
    draw(false);
    progress.expires_after(std::chrono::milliseconds(500));
    progress.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  };
  if (lo.profile.empty())
    fmt::print(stderr, "load {}: {} for {}, batch {}, {} connections, shard {} ({}), seed {}\n",
               lo.endpoint.url, modes::format_rate(lo.rate), format_duration(lo.length), lo.batch,
               lo.connections, o.shard, modes::format_rate({modes::shard_rate(lo)}), lo.seed);
  else
    fmt::print(stderr,
               "load {}: profile {}, {} stages over {} (mean {}), {} definitions, {} connections, "
               "shard {} ({}), seed {}\n",
               lo.endpoint.url, lo.profile, lo.stages.size(), format_duration(length),
               modes::format_rate({modes::plan_of(lo).mean_rate()}), modes::mix_of(lo).size(),
               lo.connections, o.shard, modes::format_rate({modes::shard_rate(lo)}), lo.seed);
  if (lo.start_at) {
    const auto wait = std::max(duration(0), *lo.start_at - clock.now());
    fmt::print(stderr, "load: starting at {} (in {})\n", format_timestamp(*lo.start_at),
               reports::format_us(static_cast<double>(wait.count())));
    generator.start(*lo.start_at, [&] { io.stop(); });
  } else {
    generator.start([&] { io.stop(); });
  }
  if (out.enabled()) tick();
  io.run();
  if (out.enabled()) {  // the line ends on the final numbers
    draw(true);
    out.end();
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
      "load",
      "Open-loop load test of a real listener: a constant rate or a profile's stages, latency from "
      "intended start");
  auto o = std::make_shared<load_cli_options>();
  cmd->add_option("--profile", o->profile,
                  "Load profile JSON (docs/load.md): stages (ramp, hold, step), weighted "
                  "definitions with batch sizes, endpoint, connections, timeout, seed, "
                  "thresholds; options override its values, but --rate/--duration and "
                  "--definition/--message/--batch conflict with its stages and definitions")
      ->type_name(takes::file);
  cmd->add_option("--endpoint", o->endpoint,
                  "Listener URL (http:// or https://); required without a profile's endpoint")
      ->type_name(takes::url);
  cmd->add_option("--rate", o->rate,
                  "Messages per second: 500/s, 30000/m, 2.5; required without a profile's stages")
      ->type_name("RATE");
  cmd->add_option("--duration", o->length,
                  "How long messages are started: 30s, 5m; required without a profile's stages")
      ->type_name(takes::duration);
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
  cmd->add_flag("--progress", o->progress, progress_help);
  set_example(cmd, "outbound load --endpoint http://127.0.0.1:8080/ --rate 500/s --duration 60s");
  o->given = [cmd](const char* option) { return cmd->get_option(option)->count() > 0; };
  cmd->callback([o, done] { done(run_load(*o)); });
}

}  // namespace outbound::cli
