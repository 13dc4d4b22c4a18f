// `outbound mock-ctl`: shell steps for CI against a running `outbound mock`'s admin API: start and
// end an outage, read or export the ledger, wait until N notifications arrived, follow the events,
// verify a sender's store, replay a request, reset. The client is cli/admin_client.hpp; the
// steps of more than one call are in mock_ctl_*.cpp.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <limits>
#include <thread>

#include "cli/admin_client.hpp"
#include "cli/commands.hpp"
#include "cli/mock_ctl_steps.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"

namespace outbound::cli {
namespace {

using nlohmann::json;

struct ctl_options {
  admin_client::settings client;
  // outage start
  std::string kind;
  std::string length;
  std::vector<std::string> settings;
  // wait
  std::uint64_t notifications = 0;
  std::string wait_timeout = "60s";
  bool acked = false;
  std::string poll = "100ms";
  // ledger
  bool export_ledger = false;
  std::string out;
  // events, verify, replay
  events_options events;
  std::uint64_t events_count = 0;
  verify_options verify;
  replay_options replay;
};

// --set status=503: the value as JSON when it reads as JSON (numbers, true), else as a string.
json outage_body(const ctl_options& o) {
  json j{{"kind", o.kind}};
  if (!o.length.empty()) j["for"] = format_duration(duration_option(o.length, "--for"));
  for (const std::string& s : o.settings) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0)
      throw input_error(
          "--set", "",
          "KEY=VALUE such as status=503 or hold=30s, got \"" + shorten_value(s) + "\"");
    const std::string value = s.substr(eq + 1);
    json v = json::parse(value, nullptr, false);
    j[s.substr(0, eq)] = v.is_discarded() ? json(value) : v;
  }
  return j;
}

void print(const json& j) {
  fmt::print("{}\n", j.dump(2));
}

// Polls the ledger until it holds `n` unique (or acked) notifications; 1 when the time is up.
int wait_for(admin_client& c, const ctl_options& o) {
  const duration limit = duration_option(o.wait_timeout, "--timeout");
  const duration poll = duration_option(o.poll, "--poll");
  const char* counter = o.acked ? "acked_notifications" : "unique_notifications";
  system_clock clock;
  const time_point give_up = clock.now() + limit;
  for (;;) {
    const json ledger = c.call_json("GET", "ledger");
    const std::uint64_t have = ledger.value(counter, std::uint64_t{0});
    if (have >= o.notifications) {
      fmt::print("{} {} of {}\n", counter, have, o.notifications);
      return 0;
    }
    if (clock.now() >= give_up) {
      fmt::print(stderr, "outbound mock-ctl: timed out after {}: {} {} of {}\n",
                 format_duration(limit), counter, have, o.notifications);
      return 1;
    }
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace

void add_mock_ctl_command(CLI::App& app, exit_code_sink done) {
  auto o = std::make_shared<ctl_options>();
  CLI::App* cmd = app.add_subcommand(
      "mock-ctl", "Drive a running mock from a shell: outages, ledger, wait, reset");
  cmd->add_option("--admin", o->client.url, "The mock's admin URL (its \"admin on\" line)")
      ->type_name(takes::url)
      ->required();
  cmd->add_option("--token-file", o->client.token_file,
                  "File whose first line is the admin token (else $OUTBOUND_ADMIN_TOKEN)")
      ->type_name(takes::file);
  cmd->add_option("--request-timeout", o->client.timeout, "Deadline of each admin request")
      ->type_name(takes::duration)
      ->capture_default_str();
  cmd->require_subcommand(1);
  auto run = [o, done](std::function<int(admin_client&)> step) {
    return [o, done, step] { done(run_against_mock(o->client, step)); };
  };

  CLI::App* outage = cmd->add_subcommand("outage", "Start, end or show an outage");
  outage->require_subcommand(1);
  CLI::App* start =
      outage->add_subcommand("start", "Start a fault now (any kind of docs/faults.md)");
  start->add_option("kind", o->kind, "Fault kind: refuse, stall, reset_before_read, ...")
      ->required();
  start->add_option("--for", o->length, "End it by itself after this long (default: until ended)")
      ->type_name(takes::duration);
  start->add_option("--set", o->settings, "A parameter of the kind, KEY=VALUE (status=503)")
      ->type_name("KEY=VALUE");
  start->callback(run([o](admin_client& c) {
    print(c.call_json("POST", "outage", outage_body(*o).dump()));
    return 0;
  }));
  outage->add_subcommand("end", "End the outage now")->callback(run([](admin_client& c) {
    print(c.call_json("DELETE", "outage"));
    return 0;
  }));
  outage->add_subcommand("show", "What is active and since when")
      ->callback(run([](admin_client& c) {
        print(c.call_json("GET", "outage"));
        return 0;
      }));

  CLI::App* ledger = cmd->add_subcommand(
      "ledger", "Print the ledger's counters (JSON), or with --export every notification");
  ledger->add_flag("--export", o->export_ledger,
                   "One JSON line per notification: id, record_id, object, definition, "
                   "first_arrival, times_seen, acked, last_answer");
  ledger->add_option("--out", o->out, "With --export: write them to this file, whole or not at all")
      ->type_name(takes::file);
  ledger->callback(run([o](admin_client& c) {
    if (!o->out.empty() && !o->export_ledger)
      throw input_error("--out", o->out, "--export as well (the counters go to stdout)");
    if (o->export_ledger) return export_ledger(c, o->out);
    print(c.call_json("GET", "ledger"));
    return 0;
  }));
  cmd->add_subcommand("reset", "Forget everything received (ledger, counters)")
      ->callback(run([](admin_client& c) {
        print(c.call_json("DELETE", "ledger"));
        return 0;
      }));
  cmd->add_subcommand("metrics", "Print the Prometheus metrics")->callback(run([](admin_client& c) {
    const admin_reply r = c.call("GET", "metrics");
    fmt::print("{}", r.body);
    return r.status == 200 ? 0 : 1;
  }));
  CLI::App* wait = cmd->add_subcommand(
      "wait", "Block until the ledger holds N unique notifications; exit 1 on timeout");
  wait->add_option("--notifications", o->notifications, "How many unique notifications")
      ->type_name(takes::count)
      ->required();
  wait->add_option("--timeout", o->wait_timeout, "Give up after this long (exit 1)")
      ->type_name(takes::duration)
      ->capture_default_str();
  wait->add_option("--poll", o->poll, "How often to read the ledger")
      ->type_name(takes::duration)
      ->capture_default_str();
  wait->add_flag("--acked", o->acked, "Count notifications acked at least once instead");
  wait->callback(run([o](admin_client& c) { return wait_for(c, *o); }));

  CLI::App* events = cmd->add_subcommand(
      "events", "Print the mock's events as JSON lines: each request answered, each fault window");
  CLI::Option* count =
      events->add_option("--count", o->events_count, "Stop after N events; exit 1 if fewer came")
          ->type_name(takes::count)
          ->transform(whole_number(1, std::numeric_limits<std::uint64_t>::max()));
  events
      ->add_option("--timeout", o->events.timeout,
                   "Stop after this long (default: when the mock stops)")
      ->type_name(takes::duration);
  events
      ->add_option("--after", o->events.after,
                   "Start after this event id (default: the oldest kept)")
      ->type_name(takes::id)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
  events->callback(run([o, count](admin_client& c) {
    if (count->count() > 0) o->events.count = o->events_count;
    return follow_events(c, o->events);
  }));

  CLI::App* verify = cmd->add_subcommand(
      "verify",
      "Check that every record of a sender's store ends with its newest values at the "
      "mock; exit 1 listing those that do not");
  verify->add_option("--store", o->verify.store, "The sender's store file (read only)")
      ->type_name(takes::file)
      ->required();
  verify
      ->add_option("--definition", o->verify.definition,
                   "Only the records of this definition (default: every one in the store)")
      ->type_name(takes::name);
  verify->callback(run([o](admin_client& c) { return verify_store(c, o->verify); }));

  CLI::App* replay = cmd->add_subcommand(
      "replay", "POST a recorded request's exact bytes to another listener; exit 0 if acked");
  replay->add_option("number", o->replay.number, "The request's number (GET /__admin/requests)")
      ->type_name(takes::count)
      ->transform(whole_number(1, std::numeric_limits<std::uint64_t>::max()))
      ->required();
  replay->add_option("--to", o->replay.to, "The listener's URL (http or https)")
      ->type_name(takes::url)
      ->required();
  replay->add_option("--timeout", o->replay.timeout, "Deadline of the POST, as the sender's")
      ->type_name(takes::duration)
      ->capture_default_str();
  replay->add_option("--ca-file", o->replay.ca_file, "PEM CAs to trust for an https --to")
      ->type_name(takes::pem);
  replay->callback(run([o](admin_client& c) { return replay_request(c, o->replay); }));
  // The steps' own options, so that one --help shows the whole command.
  cmd->footer(
      "\nSteps:\n"
      "  outage start KIND [--for DURATION] [--set KEY=VALUE]...\n"
      "  outage end | outage show | metrics | reset\n"
      "  ledger [--export [--out FILE]]\n"
      "  wait --notifications N [--timeout DURATION] [--poll DURATION] [--acked]\n"
      "  events [--count N] [--timeout DURATION] [--after ID]\n"
      "  verify --store FILE [--definition NAME]\n"
      "  replay N --to URL [--timeout DURATION] [--ca-file PEM]\n"
      "\nExample:\n  outbound mock-ctl --admin http://127.0.0.1:9901 outage start refuse --for "
      "5m\n");
}

}  // namespace outbound::cli
