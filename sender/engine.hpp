#pragma once
// The delivery engine, without I/O of its own: it takes due notifications from the store, builds
// one SOAP message per batch and definition from the records' values at that moment, hands it to
// the transport, judges the answer (sender::judge) and settles every notification of the message
// by the retry policy. Time comes from the scheduler, bytes go through the transport: the same
// engine runs on Asio in wall time and on an event_loop in simulated time.
//   engine e(store, sched, transport, rng, {.batch = 100}, {.idle = [&] { loop_stop(); }});
//   e.start();  e.accept(changes);  /* run the scheduler */

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/duration.hpp"
#include "common/random.hpp"
#include "common/scheduler.hpp"
#include "sender/retry_policy.hpp"
#include "sender/store.hpp"
#include "sender/transport.hpp"
#include "sender/verdict.hpp"

namespace outbound::sender {

struct engine_options {
  std::size_t batch = 100;       // notifications per SOAP message, 1..100
  std::size_t connections = 10;  // messages in flight per endpoint (endpoints equal by pool_key)
  duration request_timeout = std::chrono::seconds(60);  // passed to transport::send
  // Drawn once per failed message (one jitter for all its notifications), so they retry together.
  retry_policy policy = retry_policy::salesforce();
  // Where a definition's messages go; by default parse_destination(d.endpoint_url). `send
  // --endpoint URL` and scenarios override it here.
  std::function<destination(const soap::definition&)> endpoint_for{};
  // Sent as SessionId for definitions with includeSessionId; empty: one derived from the org id.
  std::string session_id{};
  // When positive, the engine re-reads the store this often while it is not idle, so that a
  // Retry or Del made by another process (outbound retry/delete on the same file) is seen.
  duration poll_interval{};
};

// Throws input_error (naming --batch, --connections or --timeout) for options the engine
// refuses; the engine's constructor calls it, a command calls it before it opens anything.
void check_engine_options(const engine_options& options);

// One SOAP message sent: what the observer hears about.
struct attempt {
  std::uint64_t message_id = 0;  // 1, 2, ... in the order sent
  std::string definition{};      // full_name
  destination to{};
  // The message's notifications as taken (attempts: those finished before this one). The
  // engine's own: valid during the observer's call only.
  std::span<const notification> notifications{};
  time_point sent_at{};
  std::size_t bytes = 0;  // request body size
};

// Callbacks for metrics and reports; any may be empty. Called from the scheduler's thread.
struct engine_observer {
  std::function<void(const notification&)> accepted{};  // queued by engine::accept
  std::function<void(const attempt&)> attempt_sent{};
  std::function<void(const attempt&, const verdict&, duration elapsed)> attempt_finished{};
  // After an attempt settled a notification (its fields already updated).
  std::function<void(const notification&)> delivered{};
  std::function<void(const notification&)> retrying{};  // failed, next attempt scheduled
  std::function<void(const notification&)> failed{};    // expired into the failed list
  std::function<void(const notification&)> dropped{};   // expired without dead-letter queue
  // Nothing is in flight and nothing is pending (or stop() was called). Fires on each change
  // into that state; a runner usually ends here.
  std::function<void()> idle{};
};

class engine {
 public:
  // Everything passed by reference must outlive the engine. Throws input_error for options out
  // of range (batch 0 or over 100, connections 0) and for a definition whose endpoint is bad.
  engine(store& s, scheduler& sched, transport& t, random& rng, engine_options options = {},
         engine_observer observer = {});
  ~engine();  // callbacks still scheduled or in the transport after this are ignored
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Reads the definitions from the store and sends what is due now.
  void start();
  // Stores (inserts or replaces) a definition and starts serving it.
  void put_definition(const soap::definition& d);
  // Record changes -> queued notifications (durable on return), and an early wake-up.
  accept_result accept(std::vector<record_change> changes);
  // Look at the store again now (after someone else changed it).
  void wake();
  // Sends nothing more; attempts in flight still settle; then `idle` fires.
  void stop();

  // The status page's actions, through the engine so that it wakes for them.
  operation_result retry_now(std::string_view notification_id);
  std::size_t retry_failed();
  operation_result remove(std::string_view notification_id);

  bool is_idle() const;
  std::size_t messages_in_flight() const;
  std::uint64_t messages_sent() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;  // shared with pending callbacks, which hold it weakly
};

}  // namespace outbound::sender
