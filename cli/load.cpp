// `outbound load`: open-loop constant-rate load against a real endpoint (HTTP or HTTPS), latency
// from each message's intended start; writes the report folder and prints the summary.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

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
#include "sender/asio_scheduler.hpp"
#include "sender/destination.hpp"
#include "sender/http_transport.hpp"

namespace outbound::cli {
namespace {

struct load_cli_options {
  std::string endpoint, rate, length, definition, message, shard = "1/1", timeout = "60s";
  std::string ca_file, out = "out/load";
  std::size_t batch = 1, connections = 10;
  std::uint64_t seed = 0;
};

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
  lo.seed = o.seed;
  if (lo.seed == 0) lo.seed = fresh_seed();
  return lo;
}

int run_load(const load_cli_options& o) {
  const modes::load_options lo = load_options_from(o);
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
  fmt::print(stderr, "load {}: {} for {}, batch {}, {} connections, shard {}, seed {}\n",
             lo.endpoint.url, modes::format_rate(lo.rate), format_duration(lo.length), lo.batch,
             lo.connections, o.shard, lo.seed);
  generator.start([&] { io.stop(); });
  io.run();

  const auto report = modes::load_report(lo, generator.result());
  reports::write_report_folder(report, o.out);
  std::fputs(modes::load_summary(lo, generator.result()).c_str(), stdout);
  std::fputs(reports::text_summary(report).c_str(), stdout);
  fmt::print("report: {}\n", o.out);
  if (interrupted) {
    fmt::print(stderr, "load: interrupted after {} of {} messages\n", generator.result().sent,
               generator.result().scheduled);
    return 1;
  }
  return 0;
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
                  "K/N: this machine's share of the id space; give every shard the same --seed")
      ->type_name("K/N");
  cmd->add_option("--timeout", o->timeout, "Request timeout (default 60s, as Salesforce)")
      ->type_name(takes::duration);
  cmd->add_option("--ca-file", o->ca_file, "PEM file of CAs to trust for https")
      ->type_name(takes::pem);
  cmd->add_option("--out", o->out, "Report folder (default out/load)")->type_name(takes::folder);
  cmd->add_option("--seed", o->seed,
                  "Seed of ids and field values (default: fresh each run; shards of one test "
                  "must share one)")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
  set_example(cmd, "outbound load --endpoint http://127.0.0.1:8080/ --rate 500/s --duration 60s");
  cmd->callback([o, done] { done(run_load(*o)); });
}

}  // namespace outbound::cli
