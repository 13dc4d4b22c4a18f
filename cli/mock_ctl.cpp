// `outbound mock-ctl`: shell steps for CI against a running `outbound mock`'s admin API: start and
// end an outage, read the ledger, wait until N notifications arrived, reset. The URL goes through
// the sender's parser and the requests through its HTTP connection: no second client.
// GCC 12 reports a false -Wmismatched-new-delete for Asio coroutine frames.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/commands.hpp"
#include "cli/option_files.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"
#include "common/json_text.hpp"
#include "sender/destination.hpp"
#include "sender/http_connection.hpp"

namespace outbound::cli {
namespace {

using nlohmann::json;

struct ctl_options {
  std::string admin;
  std::string token_file;
  std::string timeout = "10s";  // of each request
  // outage start
  std::string kind;
  std::string length;
  std::vector<std::string> settings;
  // wait
  std::uint64_t notifications = 0;
  std::string wait_timeout = "60s";
  bool acked = false;
  std::string poll = "100ms";
};

struct admin_reply {
  int status = 0;
  std::string body;
};

std::string token_of(const ctl_options& o) {
  if (!o.token_file.empty()) {
    std::string t = read_option_file(o.token_file, "--token-file");
    return t.substr(0, t.find_first_of("\r\n"));
  }
  const char* env = std::getenv("OUTBOUND_ADMIN_TOKEN");
  return env ? std::string(env) : std::string();
}

// The admin API of a mock: its base URL (the admin listener, or the main port) parsed once.
class admin_client {
 public:
  explicit admin_client(const ctl_options& o)
      : base_(sender::parse_destination(o.admin, "--admin", "URL")),
        token_(token_of(o)),
        timeout_(duration_option(o.timeout, "--request-timeout")) {
    if (base_.tls)
      throw input_error("--admin", "",
                        "an http:// URL (the admin listener, printed as \"admin on URL\"), got \"" +
                            shorten_value(o.admin) + "\"");
    prefix_ = base_.target.substr(0, base_.target.find('?'));
    while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
    if (!prefix_.ends_with("/__admin")) prefix_ += "/__admin";
  }

  // Exit code 1 with a message when the mock cannot be reached or answers an error.
  admin_reply call(std::string_view method, std::string_view what, const std::string& body = {}) {
    std::string head = fmt::format("{} {}/{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", method,
                                   prefix_, what, sender::host_header(base_));
    if (!token_.empty()) head += "Authorization: Bearer " + token_ + "\r\n";
    if (!body.empty()) head += "Content-Type: application/json\r\n";
    head += fmt::format("Content-Length: {}\r\n\r\n", body.size());

    boost::asio::io_context io;
    sender::http_connection connection(io.get_executor(), nullptr);
    sender::attempt_result result;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          result = co_await connection.connect(base_, timeout_, timeout_);
          if (result.error == sender::transport_error::none)
            result = co_await connection.exchange(head, body, timeout_, 64u << 20);
        },
        boost::asio::detached);
    io.run();
    if (result.error != sender::transport_error::none)
      throw unreachable(fmt::format("cannot reach the admin API at {}: {}", base_.url,
                                    result.detail.empty() ? "no answer" : result.detail));
    return {result.response.status, result.response.body};
  }

  json call_json(std::string_view method, std::string_view what, const std::string& body = {}) {
    const admin_reply r = call(method, what, body);
    if (r.status != 200) {
      throw unreachable(fmt::format("{} {}/{} answered {}: {}", method, prefix_, what, r.status,
                                    shorten_value(r.body, 300)));
    }
    try {
      return parse_json(r.body, base_.url);
    } catch (const input_error& e) {
      throw unreachable(
          fmt::format("{} {}/{} answered what is not JSON: {}", method, prefix_, what, e.what()));
    }
  }

  struct unreachable : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

 private:
  sender::destination base_;
  std::string token_;
  duration timeout_;
  std::string prefix_;
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

int guarded(const ctl_options& o, const std::function<int(admin_client&)>& step) {
  admin_client c(o);  // bad options are input errors (exit 2) before any request
  try {
    return step(c);
  } catch (const admin_client::unreachable& e) {
    fmt::print(stderr, "outbound mock-ctl: {}\n", e.what());
    return 1;
  }
}

}  // namespace

void add_mock_ctl_command(CLI::App& app, exit_code_sink done) {
  auto o = std::make_shared<ctl_options>();
  CLI::App* cmd = app.add_subcommand(
      "mock-ctl", "Drive a running mock from a shell: outages, ledger, wait, reset");
  cmd->add_option("--admin", o->admin, "The mock's admin URL (its \"admin on\" line)")
      ->type_name(takes::url)
      ->required();
  cmd->add_option("--token-file", o->token_file,
                  "File whose first line is the admin token (else $OUTBOUND_ADMIN_TOKEN)")
      ->type_name(takes::file);
  cmd->add_option("--request-timeout", o->timeout, "Deadline of each admin request")
      ->type_name(takes::duration)
      ->capture_default_str();
  cmd->require_subcommand(1);
  auto run = [o, done](std::function<int(admin_client&)> step) {
    return [o, done, step] { done(guarded(*o, step)); };
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

  cmd->add_subcommand("ledger", "Print the ledger's counters (JSON)")
      ->callback(run([](admin_client& c) {
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
  // The steps' own options, so that one --help shows the whole command.
  cmd->footer(
      "\nSteps:\n"
      "  outage start KIND [--for DURATION] [--set KEY=VALUE]...\n"
      "  outage end | outage show | ledger | metrics | reset\n"
      "  wait --notifications N [--timeout DURATION] [--poll DURATION] [--acked]\n"
      "\nExample:\n  outbound mock-ctl --admin http://127.0.0.1:9901 outage start refuse --for "
      "5m\n");
}

}  // namespace outbound::cli
