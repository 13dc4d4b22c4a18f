// `outbound send`: makes records and changes, queues their notifications durably in the store,
// and delivers them over HTTP(S) until nothing is left to send (or --for ends). With only
// --store it resumes that store. A terminal sees one progress line; everyone sees a summary.
#include <fmt/format.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"
#include "common/random.hpp"
#include "sender/asio_scheduler.hpp"
#include "sender/endpoint_url.hpp"
#include "sender/engine.hpp"
#include "sender/http_transport.hpp"
#include "sender/memory_store.hpp"
#include "sender/retry_policy.hpp"
#include "sender/sqlite_store.hpp"
#include "soap/definition.hpp"
#include "soap/sample_data.hpp"

namespace outbound::cli {
namespace {

namespace asio = boost::asio;
using sender::state;

struct send_options {
  std::string definition, endpoint, store = std::string(sender::default_store_file);
  std::uint64_t records = 0, updates = 0, deletes = 0;
  std::size_t batch = 100, connections = 10;
  std::string retry = "salesforce", run_for, timeout = "60s", connect_timeout = "10s";
  std::string ca_file, client_cert, client_key;
  std::uint64_t seed = 1;
};

duration duration_option(const std::string& text, const char* option) {
  auto d = parse_duration(text);
  if (!d || *d < duration::zero())
    throw input_error(option, "",
                      "a duration such as 250ms, 90s, 15m or 1h30m (got \"" + text + "\")");
  return *d;
}

// Applies `changes` in transactions of a bounded size, so a million records need little memory.
class change_writer {
 public:
  change_writer(sender::store& s, const outbound::clock& c) : store_(s), clock_(c) {}
  ~change_writer() = default;
  void add(sender::record_change c) {
    pending_.push_back(std::move(c));
    if (pending_.size() >= 10000) flush();
  }
  std::vector<std::string> flush() {
    if (pending_.empty()) return {};
    auto r = store_.accept(pending_, clock_.now());
    queued_ += r.notifications.size();
    pending_.clear();
    return std::move(r.record_ids);
  }
  std::uint64_t queued() const { return queued_; }

 private:
  sender::store& store_;
  const outbound::clock& clock_;
  std::vector<sender::record_change> pending_;
  std::uint64_t queued_ = 0;
};

// N new records with seeded sample values, then U updates of one field each on random live
// records, then D deletes spread evenly over the records. Returns the notifications queued.
std::uint64_t queue_workload(sender::store& s, const soap::definition& d, const send_options& o,
                             random& rng, const outbound::clock& clock) {
  if (o.deletes > o.records)
    throw input_error("--deletes", "", "at most as many deletes as --records");
  if (o.updates > 0 && o.deletes >= o.records)
    throw input_error("--updates", "", "records left to update (--deletes < --records)");
  change_writer w(s, clock);
  std::vector<std::string> ids;
  ids.reserve(o.records);
  for (std::uint64_t i = 0; i < o.records; ++i) {
    w.add({sender::change_kind::create, d.object, {}, soap::sample_fields(d, rng)});
    if ((i + 1) % 10000 == 0)
      for (auto& id : w.flush()) ids.push_back(std::move(id));
  }
  for (auto& id : w.flush()) ids.push_back(std::move(id));
  std::vector<bool> deleted(ids.size(), false);
  for (std::uint64_t k = 0; k < o.deletes; ++k) deleted[k * ids.size() / o.deletes] = true;
  for (std::uint64_t k = 0; k < o.updates; ++k) {
    std::size_t i = rng.below(ids.size());
    while (deleted[i]) i = (i + 1) % ids.size();
    std::vector<soap::field_value> change;
    if (!d.fields.empty()) {
      const auto& f = d.fields[rng.below(d.fields.size())];
      change.push_back({f.name, soap::sample_value(f, rng).value});
    }
    w.add({sender::change_kind::update, {}, ids[i], std::move(change)});
  }
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (deleted[i]) w.add({sender::change_kind::remove, {}, ids[i], {}});
  w.flush();
  return w.queued();
}

std::unique_ptr<sender::store> open_store(const send_options& o) {
  if (o.store == ":memory:") {
    if (o.definition.empty())
      throw input_error("--store", ":memory:", "--definition as well (nothing to resume)");
    return std::make_unique<sender::memory_store>();
  }
  auto mode = o.definition.empty() ? sender::sqlite_store::open_mode::existing
                                   : sender::sqlite_store::open_mode::create;
  return std::make_unique<sender::sqlite_store>(o.store, mode);
}

// What this run saw, for the progress line and the summary.
struct tally {
  std::uint64_t delivered = 0, retrying = 0, failed = 0, dropped = 0;
  std::optional<duration> first_delivery;  // since the command started
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

int run_send(const send_options& o) {
  system_clock clock;
  const time_point started = clock.now();
  if (o.definition.empty() && (o.records || o.updates || o.deletes))
    throw input_error("--records", "", "--definition as well (records need a definition)");
  const duration timeout = duration_option(o.timeout, "--timeout");
  const duration connect_timeout = duration_option(o.connect_timeout, "--connect-timeout");
  std::optional<duration> run_for;
  if (!o.run_for.empty()) run_for = duration_option(o.run_for, "--for");
  sender::engine_options eo;
  eo.batch = o.batch;
  eo.connections = o.connections;
  eo.request_timeout = timeout;
  eo.policy = sender::parse_retry_policy(o.retry, "--retry");

  auto store = open_store(o);
  random rng(o.seed);
  std::uint64_t queued = 0;
  if (!o.definition.empty()) {
    soap::definition d = soap::load_definition(o.definition);
    std::string url_source = o.definition;
    if (!o.endpoint.empty()) {
      d.endpoint_url = o.endpoint;
      url_source = "--endpoint";
    }
    soap::check_endpoint_url(d.endpoint_url, d.include_session_id, url_source, "endpointUrl");
    sender::parse_endpoint(d.endpoint_url, url_source, "endpointUrl");
    store->put_definition(d);
    queued = queue_workload(*store, d, o, rng, clock);
  } else if (!o.endpoint.empty()) {
    // Resuming towards another address (the listener moved): every definition goes there.
    soap::check_endpoint_url(o.endpoint, false, "--endpoint", "endpointUrl");
    auto ep = sender::parse_endpoint(o.endpoint, "--endpoint", "endpointUrl");
    eo.endpoint_for = [ep](const soap::definition&) { return ep; };
  }
  if (o.store != ":memory:") eo.poll_interval = std::chrono::seconds(1);  // see outbound retry

  asio::io_context io;
  sender::asio_scheduler sched(io, clock);
  sender::http_transport_options to;
  to.max_connections = o.connections;
  to.connect_timeout = connect_timeout;
  to.ca_file = o.ca_file;
  to.client_cert_file = o.client_cert;
  to.client_key_file = o.client_key;
  sender::http_transport transport(io, clock, to);
  tally seen;
  sender::engine_observer obs;
  obs.delivered = [&](const sender::notification&) {
    if (!seen.first_delivery) seen.first_delivery = clock.now() - started;
    ++seen.delivered;
  };
  obs.retrying = [&](const sender::notification&) { ++seen.retrying; };
  obs.failed = [&](const sender::notification&) { ++seen.failed; };
  obs.dropped = [&](const sender::notification&) { ++seen.dropped; };
  obs.idle = [&] { io.stop(); };

  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  const time_point delivery_start = clock.now();
  auto rate = [&] {
    double seconds = std::chrono::duration<double>(clock.now() - delivery_start).count();
    return seconds > 0 ? static_cast<double>(seen.delivered) / seconds : 0.0;
  };
  bool interrupted = false;
  std::uint64_t messages = 0;
  {
    sender::engine e(*store, sched, transport, rng, std::move(eo), std::move(obs));
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      interrupted = true;  // what is in flight goes back to the queue when the engine ends
      io.stop();
    });
    asio::steady_timer progress(io), deadline(io);
    std::function<void()> tick = [&] {
      fmt::print("\r{} delivered, {} retrying, {} failed, {} dropped, {:.0f}/s   ", seen.delivered,
                 seen.retrying, seen.failed, seen.dropped, rate());
      std::fflush(stdout);
      progress.expires_after(std::chrono::milliseconds(250));
      progress.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) tick();
      });
    };
    if (terminal) tick();
    if (run_for) {
      deadline.expires_after(*run_for);
      deadline.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) e.stop();  // attempts in flight settle, then idle ends the run
      });
    }
    if (!run_for || *run_for > duration::zero()) {
      e.start();
      io.run();
    }
    messages = e.messages_sent();
  }
  store->flush();
  if (terminal) fmt::print("\n");

  const auto c = store->counts();
  const double seconds = std::chrono::duration<double>(clock.now() - delivery_start).count();
  fmt::print(
      "send: queued {}, delivered {} in {} messages, {:.3f} s, {:.0f} notifications/s{}{}; "
      "store: {}\n",
      queued, seen.delivered, messages, seconds, rate(),
      seen.first_delivery
          ? fmt::format(
                ", first delivery after {} ms",
                std::chrono::duration_cast<std::chrono::milliseconds>(*seen.first_delivery).count())
          : std::string(),
      interrupted ? " (interrupted)" : "", counts_text(c));
  const std::uint64_t open = c[state::queued] + c[state::retrying] + c[state::in_flight];
  return open + c[state::failed] + c[state::dropped] == 0 ? 0 : 1;
}

}  // namespace

void add_send_command(CLI::App& app, exit_code_sink done) {
  auto o = std::make_shared<send_options>();
  CLI::App* cmd = app.add_subcommand(
      "send", "Queue notifications for new and changed records and deliver them (or resume)");
  cmd->add_option("--definition", o->definition,
                  "Definition (JSON, workflow XML or WSDL) whose rule fires on the records");
  cmd->add_option("--endpoint", o->endpoint, "Endpoint URL (overrides the definition's)");
  cmd->add_option("--store", o->store, "Store file (SQLite), or :memory:")->capture_default_str();
  cmd->add_option("--records", o->records, "Records to create");
  cmd->add_option("--updates", o->updates, "Updates of random records (one field each)");
  cmd->add_option("--deletes", o->deletes, "Records to delete, spread over them");
  cmd->add_option("--batch", o->batch, "Notifications per SOAP message, 1-100")
      ->capture_default_str();
  cmd->add_option("--connections", o->connections, "Concurrent connections per endpoint")
      ->capture_default_str();
  cmd->add_option("--retry", o->retry,
                  "Retry policy: salesforce, fixed:30s, linear:10s, exponential:15s,2,2h, "
                  "list:5s,5m,30m (options max_attempts=N, max_age=D, jitter=10%)")
      ->capture_default_str();
  cmd->add_option("--for", o->run_for,
                  "Stop after this long (what is left stays queued; 0s only queues)");
  cmd->add_option("--timeout", o->timeout, "Request timeout")->capture_default_str();
  cmd->add_option("--connect-timeout", o->connect_timeout, "TCP connect timeout")
      ->capture_default_str();
  cmd->add_option("--ca-file", o->ca_file, "PEM CA certificates to trust (default: the system's)");
  cmd->add_option("--client-cert", o->client_cert, "PEM client certificate for mutual TLS");
  cmd->add_option("--client-key", o->client_key, "PEM private key of --client-cert");
  cmd->add_option("--seed", o->seed, "Seed of the sample values and retry jitter")
      ->capture_default_str();
  cmd->callback([o, done] { done(run_send(*o)); });
}

}  // namespace outbound::cli
