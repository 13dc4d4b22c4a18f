// `outbound send`: makes records and changes, queues their notifications durably in the store,
// and delivers them over HTTP(S) until nothing is left to send (or --for ends). With only
// --store it resumes that store. A terminal sees one progress line; everyone sees a summary.
// Ctrl-C or SIGTERM ends it early (exit 130): what is in flight goes back to the queue.
#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"
#include "common/random.hpp"
#include "sender/asio_scheduler.hpp"
#include "sender/destination.hpp"
#include "sender/engine.hpp"
#include "sender/http_transport.hpp"
#include "sender/memory_store.hpp"
#include "sender/retry_policy.hpp"
#include "sender/sqlite_store.hpp"
#include "sender/workload_queue.hpp"
#include "soap/definition.hpp"
#include "soap/sample_data.hpp"

namespace outbound::cli {
namespace {

namespace asio = boost::asio;
using sender::state;

struct send_options {
  std::string definition, message, endpoint, store = std::string(sender::default_store_file);
  std::int64_t records = 0, updates = 0, deletes = 0;
  std::int64_t batch = 100, connections = 10;
  std::string retry = "salesforce", run_for, timeout = "60s", connect_timeout = "10s";
  std::string ca_file, client_cert, client_key;
  std::uint64_t seed = 1;
  bool progress = false;  // progress lines on a pipe too
};

// More would only exhaust file descriptors; Salesforce itself uses a handful per endpoint.
constexpr std::int64_t max_connections = 1000;
// Changes per accept() while delivering: each waits for the store's writer thread, so fewer and
// larger ones deliver more (the first delivery still comes within about half a second).
constexpr std::size_t workload_chunk = 10'000;
// The next chunk is queued once fewer than this many notifications queued while delivering wait
// for their first attempt to settle. The store keeps the rows of new records in memory for
// delivery, up to 20,000 (two chunks): a queue further ahead had its rows read back from the file,
// most of them with --batch 100 (a faster endpoint drains it faster, and the feed keeps pace).
constexpr std::uint64_t workload_lead = workload_chunk;

// Everything `send` needs, checked and loaded before the store is opened or created, so that a
// refused command leaves the store as it was (and makes none).
struct send_plan {
  std::optional<soap::definition> definition;  // empty: resume the store
  sender::workload work;
  sender::engine_options engine;
  sender::http_transport_options transport;
  std::optional<duration> run_for;
  bool progress = false;
};

// A value for a message, cut short: a pasted megabyte should not fill the terminal.
std::string shown(const std::string& text) {
  return text.size() <= 40 ? text : text.substr(0, 40) + "...";
}

std::uint64_t count_option(std::int64_t value, const char* option, std::int64_t low,
                           std::int64_t high) {
  if (value < low || value > high)
    throw input_error(option, "", fmt::format("from {} to {} (got {})", low, high, value));
  return static_cast<std::uint64_t>(value);
}

sender::workload workload_of(const send_options& o) {
  const auto most = static_cast<std::int64_t>(sender::max_workload_records);
  sender::workload w{.records = count_option(o.records, "--records", 0, most),
                     .updates = count_option(o.updates, "--updates", 0, most),
                     .deletes = count_option(o.deletes, "--deletes", 0, most)};
  if (o.definition.empty() && (w.records || w.updates || w.deletes))
    throw input_error("--records", "", "--definition as well (records need a definition)");
  sender::check_workload(w);
  return w;
}

// The definition with the endpoint that `send` will use, both checked.
soap::definition load_send_definition(const send_options& o) {
  soap::definition d = soap::load_definition(o.definition, o.message);
  // JSON and WSDL files hold one message: a --message that names another is a mistake.
  if (!o.message.empty() && d.full_name != o.message)
    throw input_error(o.definition, "",
                      fmt::format("the outbound message \"{}\" named by --message (it holds "
                                  "\"{}\")",
                                  shown(o.message), d.full_name));
  std::string url_source = o.definition;
  if (!o.endpoint.empty()) {
    d.endpoint_url = o.endpoint;
    url_source = "--endpoint";
  }
  soap::check_endpoint_url(d.endpoint_url, d.include_session_id, url_source, "endpointUrl");
  sender::parse_destination(d.endpoint_url, url_source, "endpointUrl");
  return d;
}

sender::engine_options engine_options_of(const send_options& o) {
  sender::engine_options eo;
  eo.batch = count_option(o.batch, "--batch", 1, soap::max_notifications);
  eo.connections = count_option(o.connections, "--connections", 1, max_connections);
  eo.request_timeout = duration_option(o.timeout, "--timeout");
  eo.policy = sender::parse_retry_policy(o.retry, "--retry");
  if (o.definition.empty() && !o.endpoint.empty()) {
    // Resuming towards another address (the listener moved): every definition goes there.
    soap::check_endpoint_url(o.endpoint, false, "--endpoint", "endpointUrl");
    auto ep = sender::parse_destination(o.endpoint, "--endpoint", "endpointUrl");
    eo.endpoint_for = [ep](const soap::definition&) { return ep; };
  }
  if (o.store != ":memory:") eo.poll_interval = std::chrono::seconds(1);  // see outbound retry
  sender::check_engine_options(eo);
  return eo;
}

send_plan plan_send(const send_options& o) {
  if (o.store.empty()) throw input_error("--store", "", "a store file name, or :memory:");
  if (o.store == ":memory:" && o.definition.empty())
    throw input_error("--store", ":memory:", "--definition as well (nothing to resume)");
  if (o.definition.empty() && !o.message.empty())
    throw input_error("--message", "", "--definition as well (the file to pick it from)");
  send_plan p;
  p.work = workload_of(o);
  p.engine = engine_options_of(o);
  if (!o.definition.empty()) p.definition = load_send_definition(o);
  if (!o.run_for.empty()) p.run_for = duration_option(o.run_for, "--for", /*zero_allowed=*/true);
  p.progress = o.progress;
  p.transport.max_connections = p.engine.connections;
  p.transport.connect_timeout = duration_option(o.connect_timeout, "--connect-timeout");
  p.transport.ca_file = o.ca_file;
  p.transport.client_cert_file = o.client_cert;
  p.transport.client_key_file = o.client_key;
  return p;
}

std::unique_ptr<sender::store> open_store(const send_options& o) {
  if (o.store == ":memory:") return std::make_unique<sender::memory_store>();
  auto mode = o.definition.empty() ? sender::sqlite_store::open_mode::existing
                                   : sender::sqlite_store::open_mode::create;
  return std::make_unique<sender::sqlite_store>(o.store, mode);
}

// What this run saw, for the progress line and the summary.
struct tally {
  std::uint64_t queued = 0;                // notifications queued while delivering
  std::uint64_t delivered = 0;             // notifications delivered by this run
  std::optional<duration> first_delivery;  // since the command started
  std::uint64_t messages = 0;
  std::uint64_t failed_attempts = 0;  // messages that were not acked (each retried or expired)
  bool interrupted = false;
  time_point delivery_start{};

  double rate(time_point now) const {
    double seconds = std::chrono::duration<double>(now - delivery_start).count();
    return seconds > 0 ? static_cast<double>(delivered) / seconds : 0.0;
  }
};

std::string counts_text(const sender::state_counts& c) {
  std::string out;
  for (state s : sender::all_states) {
    if (s == state::in_flight) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", c[s], sender::to_string(s));
  }
  return out;
}

// The engine's observer that counts into `seen` and ends the run when nothing is left to do and
// nothing is left to queue.
sender::engine_observer counting_observer(tally& seen, asio::io_context& io,
                                          const outbound::clock& clock, time_point started,
                                          const bool& feeding) {
  sender::engine_observer obs;
  obs.delivered = [&seen, &clock, started](const sender::notification&) {
    if (!seen.first_delivery) seen.first_delivery = clock.now() - started;
    ++seen.delivered;
  };
  obs.attempt_finished = [&seen](const sender::attempt&, const sender::verdict& v, duration) {
    if (!v.delivered) ++seen.failed_attempts;
  };
  obs.idle = [&io, &feeding] {
    if (!feeding) io.stop();
  };
  return obs;
}

// Runs the engine over the store until it is idle, --for ends or a signal comes. The workload of
// `feed`, if any, is queued a chunk per turn of the loop through the engine: deliveries start with
// the first chunk and go on while the rest is queued, instead of waiting for the last.
tally deliver(sender::store& store, send_plan& plan, asio::io_context& io,
              sender::http_transport& transport, random& rng, const outbound::clock& clock,
              time_point started, sender::workload_feed* feed) {
  tally seen;
  seen.delivery_start = clock.now();
  bool feeding = feed && !feed->done();
  // Pacing (workload_lead): the feed waits while the first attempts lag, until --for ends
  // delivery; then the rest is queued at once. While it waits, a notification it queued is
  // pending or in flight, so settling or the deadline resumes it, unless another process deleted
  // those (send polls the store): then the engine goes idle and that resumes it.
  bool pacing = true, feed_waiting = false;
  std::uint64_t first_settled = 0;  // notifications whose first attempt settled
  std::function<void()> feed_one;
  const auto resume_feed = [&] {
    if (!feed_waiting) return;
    feed_waiting = false;
    asio::post(io, feed_one);
  };
  auto obs = counting_observer(seen, io, clock, started, feeding);
  const auto settled = [&](const sender::notification& n) {
    if (n.attempts != 1) return;
    ++first_settled;
    if (seen.queued < first_settled + workload_lead) resume_feed();
  };
  obs.delivered = [count = std::move(obs.delivered), settled](const sender::notification& n) {
    count(n);
    settled(n);
  };
  obs.retrying = obs.failed = obs.dropped = settled;
  obs.idle = [idle = std::move(obs.idle), &feed_waiting, &resume_feed] {
    if (feed_waiting) return resume_feed();
    idle();
  };
  sender::asio_scheduler sched(io, clock);
  sender::engine e(store, sched, transport, rng, std::move(plan.engine), std::move(obs));
  feed_one = [&] {
    if (seen.interrupted) return;
    const auto r = e.accept(feed->next());
    seen.queued += r.notifications.size();
    feed->accepted(r);
    if (feed->done()) {
      feeding = false;
      if (e.is_idle()) io.stop();
      return;
    }
    if (pacing && seen.queued >= first_settled + workload_lead) {
      feed_waiting = true;
      return;
    }
    asio::post(io, feed_one);
  };
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    seen.interrupted = true;  // what is in flight goes back to the queue when the engine ends
    io.stop();
  });
  asio::steady_timer progress(io), deadline(io);
  progress_output out(plan.progress);
  // Elapsed and (with --for) remaining time, then notifications, never attempts: what this run
  // delivered and its rate, the attempts that failed, and where the store's notifications stand
  // now (a resumed store starts with what it already holds).
  const auto progress_line = [&](bool last) {
    const auto c = store.counts();
    const duration elapsed = clock.now() - seen.delivery_start;
    const std::string left = plan.run_for
                                 ? ", " +
                                       format_duration(std::chrono::ceil<std::chrono::seconds>(
                                           std::max(duration::zero(), *plan.run_for - elapsed))) +
                                       " left"
                                 : "";
    out.show(fmt::format("{} elapsed{}: {} delivered, {:.0f}/s, {} failed attempts; {} queued, "
                         "{} retrying, {} failed, {} dropped",
                         format_duration(std::chrono::floor<std::chrono::seconds>(elapsed)), left,
                         seen.delivered, seen.rate(clock.now()), seen.failed_attempts,
                         c[state::queued] + c[state::in_flight], c[state::retrying],
                         c[state::failed], c[state::dropped]),
             last);
  };
  std::function<void()> tick = [&] {
    progress_line(false);
    progress.expires_after(std::chrono::milliseconds(250));
    progress.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  };
  if (out.enabled()) tick();
  if (plan.run_for) {
    deadline.expires_after(*plan.run_for);
    deadline.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      e.stop();  // attempts in flight settle, then idle ends the run
      pacing = false;
      resume_feed();
    });
  }
  if (!plan.run_for || *plan.run_for > duration::zero()) {
    e.start();
    if (feeding) asio::post(io, feed_one);
    io.run();
  }
  seen.messages = e.messages_sent();
  if (out.enabled()) {  // the last word of the progress line is the final state, not 250 ms old
    progress_line(true);
    out.end();
  }
  return seen;
}

// Prints the summary line; returns the exit code: 130 when Ctrl-C or SIGTERM ended the run (what
// is left stays in the store for a resume), else 1 while anything is left undelivered. The first
// rate counts from the first attempt; "end to end" from the command's start, queueing included.
int summarize(sender::store& store, std::uint64_t queued, const tally& seen,
              const outbound::clock& clock, time_point started) {
  const auto c = store.counts();
  const time_point now = clock.now();
  const double seconds = std::chrono::duration<double>(now - seen.delivery_start).count();
  const double whole = std::chrono::duration<double>(now - started).count();
  fmt::print(
      "send: queued {}, delivered {} in {} messages, {:.3f} s, {:.0f} notifications/s; end to "
      "end {:.3f} s, {:.0f} notifications/s{}{}; store: {}\n",
      queued, seen.delivered, seen.messages, seconds, seen.rate(now), whole,
      whole > 0 ? static_cast<double>(seen.delivered) / whole : 0.0,
      seen.first_delivery
          ? fmt::format(
                ", first delivery after {} ms",
                std::chrono::duration_cast<std::chrono::milliseconds>(*seen.first_delivery).count())
          : std::string(),
      seen.interrupted ? " (interrupted)" : "", counts_text(c));
  if (seen.interrupted) return 130;
  const std::uint64_t open = c[state::queued] + c[state::retrying] + c[state::in_flight];
  return open + c[state::failed] + c[state::dropped] == 0 ? 0 : 1;
}

int run_send(const send_options& o) {
  system_clock clock;
  const time_point started = clock.now();
  send_plan plan = plan_send(o);
  asio::io_context io(1);  // run by this thread alone: Asio skips some locking
  // Built before the store: it loads the PEM files, and a bad one must leave the store alone.
  sender::http_transport transport(io, plan.transport);
  auto store = open_store(o);
  // The workload's values have a generator of their own: the engine's retry jitter, drawn while
  // they are queued, must not change them.
  random workload_rng(o.seed), rng(o.seed);
  std::optional<sender::workload_feed> feed;
  std::uint64_t queued = 0;
  if (plan.definition) {
    store->put_definition(*plan.definition);
    feed.emplace(*plan.definition, plan.work, workload_rng, workload_chunk);
    if (plan.run_for == duration::zero()) {  // --for 0s only queues
      for (auto c = feed->next(); !c.empty(); c = feed->next()) {
        const auto r = store->accept(std::move(c), clock.now());
        queued += r.notifications.size();
        feed->accepted(r);
      }
    }
  }
  const tally seen =
      deliver(*store, plan, io, transport, rng, clock, started, feed ? &*feed : nullptr);
  store->flush();
  if (::isatty(STDOUT_FILENO) == 1) fmt::print("\n");
  return summarize(*store, queued + seen.queued, seen, clock, started);
}

}  // namespace

void add_send_command(CLI::App& app, exit_code_sink done) {
  auto o = std::make_shared<send_options>();
  CLI::App* cmd = app.add_subcommand(
      "send", "Queue notifications for new and changed records and deliver them (or resume)");
  cmd->add_option("--definition", o->definition,
                  "Definition (JSON, workflow XML or WSDL) whose rule fires on the records")
      ->type_name(takes::file);
  cmd->add_option("--message", o->message,
                  "The outbound message to use when the definition file holds several")
      ->type_name(takes::name);
  cmd->add_option("--endpoint", o->endpoint, "Endpoint URL (overrides the definition's)")
      ->type_name(takes::url);
  cmd->add_option("--store", o->store, "Store file (SQLite), or :memory:")
      ->type_name(takes::file)
      ->capture_default_str();
  // Plain decimal only: CLI11 alone reads "0x10" as 16 and wraps "-5" into a huge unsigned seed.
  const auto most = sender::max_workload_records;
  cmd->add_option("--records", o->records, "Records to create")
      ->type_name(takes::count)
      ->transform(whole_number(0, most));
  cmd->add_option("--updates", o->updates, "Updates of random records (one field each)")
      ->type_name(takes::count)
      ->transform(whole_number(0, most));
  cmd->add_option("--deletes", o->deletes, "Records to delete, spread over them")
      ->type_name(takes::count)
      ->transform(whole_number(0, most));
  cmd->add_option("--batch", o->batch, "Notifications per SOAP message, 1-100")
      ->type_name(takes::count)
      ->transform(whole_number(1, soap::max_notifications))
      ->capture_default_str();
  cmd->add_option("--connections", o->connections, "Concurrent connections per endpoint, 1-1000")
      ->type_name(takes::count)
      ->transform(whole_number(1, max_connections))
      ->capture_default_str();
  cmd->add_option("--retry", o->retry,
                  "Retry policy: salesforce, fixed:30s, linear:10s, exponential:15s,2,2h, "
                  "list:5s,5m,30m (options max_attempts=N, max_age=D, jitter=10%, "
                  "retry_after=honor)")
      ->type_name("POLICY")
      ->capture_default_str();
  cmd->add_option("--for", o->run_for,
                  "Stop after this long (what is left stays queued; 0s only queues)")
      ->type_name(takes::duration);
  cmd->add_option("--timeout", o->timeout, "Request timeout: writing it and reading the answer")
      ->type_name(takes::duration)
      ->capture_default_str();
  cmd->add_option("--connect-timeout", o->connect_timeout,
                  "Connect timeout: resolving the host name and the TCP connect")
      ->type_name(takes::duration)
      ->capture_default_str();
  cmd->add_option("--ca-file", o->ca_file, "PEM CA certificates to trust (default: the system's)")
      ->type_name(takes::pem);
  cmd->add_option("--client-cert", o->client_cert, "PEM client certificate for mutual TLS")
      ->type_name(takes::pem);
  cmd->add_option("--client-key", o->client_key, "PEM private key of --client-cert")
      ->type_name(takes::pem);
  cmd->add_option("--seed", o->seed, "Seed of the sample values and retry jitter")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()))
      ->capture_default_str();
  cmd->add_flag("--progress", o->progress, progress_help);
  set_example(cmd,
              "outbound send --definition examples/definitions/account.json --endpoint "
              "http://127.0.0.1:8080/erp --records 500 --for 10m");
  cmd->callback([o, done] { done(run_send(*o)); });
}

}  // namespace outbound::cli
