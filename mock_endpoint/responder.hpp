#pragma once
// The responder, the mock endpoint's brain, without I/O or clock reads: it owns the fault plan and
// its state, the seeded random source, the counters and the ledger, and turns a connection or a
// request (with the time it happened) into an outcome that a socket connection, or a simulated-time
// scenario, carries out.
//   responder ep(load_fault_plan("plan.json"), 42, {}, clock.now());
//   if (ep.on_connection(now).action == connection_action::accept) {
//     outcome o = ep.handle({.method = "POST", .target = "/", .body = body}, now); ...

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/random.hpp"
#include "mock_endpoint/fault_plan.hpp"
#include "mock_endpoint/ledger.hpp"
#include "mock_endpoint/outcome.hpp"
#include "mock_endpoint/response_metrics.hpp"
#include "soap/definition.hpp"

namespace outbound::mock_endpoint {

struct responder_options {
  std::optional<soap::definition> definition;  // when set: check object, fields, organization
  std::size_t body_limit = 10 * 1024 * 1024;   // enforced by the server; reported by admin
  bool tls = false;                            // tls_* faults apply only when serving HTTPS
  std::size_t recent_requests = 1000;          // kept for GET /__admin/requests
  // The bodies of the latest requests, as received, for a replay: at most kept_bodies of them
  // and kept_body_bytes in all (a larger body is not kept).
  std::size_t kept_bodies = 100;
  std::size_t kept_body_bytes = 64 * 1024 * 1024;
  ledger_options ledger;
};

struct request_view {
  std::string_view method = "POST";
  std::string_view target = "/";
  std::string_view body;
};

// One line of GET /__admin/requests.
struct request_summary {
  std::uint64_t number = 0;  // 1 for the first request handled, never reused (not even by reset)
  time_point at;
  std::string method;
  std::string target;
  std::size_t bytes = 0;
  std::size_t notifications = 0;  // 0 when the body was not a valid message
  int status = 0;                 // HTTP status answered (0: no HTTP answer)
  std::string outcome;            // "ack", "rejected", "wsdl", or the deciding fault's kind
  std::string detail;             // why it was rejected, the timing faults applied, ...
};

struct responder_counters {
  std::uint64_t connections = 0;  // connections seen by on_connection
  std::uint64_t requests = 0;     // requests seen by handle
  std::uint64_t rejected = 0;     // invalid POSTs answered with a SOAP Fault (no fault injected)
  std::uint64_t acks = 0;         // answered 200 Ack true (possibly delayed)
};

// A fault started on demand (POST /__admin/outage): evaluated before the plan's entries, from
// `since` for what.for_ (none: until ended). Ending it early sets what.for_ to the time it lasted.
struct outage {
  fault what;
  time_point since;
  std::optional<time_point> until() const {
    return what.for_ ? std::optional<time_point>(since + *what.for_) : std::nullopt;
  }
};

class responder {
 public:
  // Windows in `plan` are relative to `start`.
  responder(fault_plan plan, std::uint64_t seed, responder_options options, time_point start);

  // A connection arrived; before anything is read.
  connection_outcome on_connection(time_point now);
  // A complete request was read. POST (any path) is a SOAP message; GET /?wsdl the WSDL.
  outcome handle(const request_view& req, time_point now);

  // For real-mode servers: whether a `refuse` window (one without first/every/probability) is
  // open at `now`, and when that may next change (none: never again under this plan).
  struct refusal {
    bool refusing = false;
    std::optional<time_point> next_change;
  };
  refusal refusal_at(time_point now) const;
  // Counts the refuse window open at `now` whose port the server closed (once per window).
  void count_refusal(time_point now);

  // Whether a connection fault with a time window (`for`) that applies here is open at `now`:
  // the listener or the network in front of it is down, so connections kept alive from before
  // die with it and the next request must open a new one (on_connection decides its fate).
  bool connection_window_open(time_point now) const;

  // Replaces the plan; its windows are relative to `now`, its counters start at zero.
  void replace_plan(fault_plan plan, time_point now);
  const fault_plan& plan() const { return plan_; }
  time_point plan_start() const { return plan_start_; }

  // Starts `f` now, ahead of the plan, replacing any earlier outage (f.after is ignored: an outage
  // starts now). Its counters start at zero.
  void start_outage(fault f, time_point now);
  // Ends the outage now; false when none was open.
  bool end_outage(time_point now);
  // The last outage started, open or over.
  const std::optional<mock_endpoint::outage>& last_outage() const { return outage_; }
  bool outage_open(time_point now) const;

  // The fault windows open at `now`, one name each ("outage: refuse", "faults[2]: http_status"),
  // so that a server can log them opening and closing.
  std::vector<std::string> open_windows(time_point now) const;

  mock_endpoint::ledger& ledger() { return ledger_; }
  const mock_endpoint::ledger& ledger() const { return ledger_; }
  const fault_counters& faults_injected() const { return faults_; }
  std::uint64_t faults_injected(fault_kind k) const { return faults_[static_cast<std::size_t>(k)]; }
  // How many times each entry of the plan fired (decided an answer or timed one), by index.
  std::vector<std::uint64_t> fired_per_entry() const;
  const responder_counters& counters() const { return counters_; }
  // Filled by the server as answers go out (GET /__admin/metrics); reset() clears it.
  response_metrics& responses() { return responses_; }
  const response_metrics& responses() const { return responses_; }
  const std::deque<request_summary>& recent() const { return recent_; }
  // The summary of request `number` while it is among the recent ones, and its body while that
  // is kept; null otherwise.
  const request_summary* recent_request(std::uint64_t number) const;
  const std::string* kept_body(std::uint64_t number) const;
  // The numbers of the oldest and newest kept bodies; 0 and 0 when none is.
  std::pair<std::uint64_t, std::uint64_t> kept_body_range() const;
  const responder_options& options() const { return options_; }

  // Forgets everything received: ledger, counters, recent requests (DELETE /__admin/ledger).
  void reset();
  // How many times reset() was called: a listing that began before one is no longer whole.
  std::uint64_t resets() const { return resets_; }

 private:
  struct entry_state {
    std::uint64_t seen = 0;   // events inside the entry's window so far
    std::uint64_t fired = 0;  // events it was applied to
  };
  struct selection {
    const fault* decider = nullptr;
    std::vector<const fault*> timing;
  };
  selection select(bool connection_phase, time_point now, const soap::message* m = nullptr);
  bool in_window(const fault& f, time_point now) const;
  // The fault's request conditions (when, beyond) hold for `m` arriving at `now`.
  bool conditions_hold(const fault& f, const soap::message* m, time_point now);
  void admitted(time_point now, const outcome& o);
  outcome answer_valid_or_not(const std::string& reject_reason);
  outcome apply_fault(const fault& f);
  void apply_timing(const std::vector<const fault*>& timing, outcome& o);
  std::string validate(const soap::message& m) const;
  void remember(request_summary s, std::string_view body);
  void keep_body(std::uint64_t number, std::string_view body);
  void count_fired(const fault& f);
  std::size_t index_of(const fault& f) const;
  entry_state& state_of(const fault& f);
  bool is_outage(const fault& f) const;
  time_point window_begin(const fault& f) const;
  // The outage (if any) then the plan's entries, in evaluation order.
  std::size_t entry_count() const { return plan_.faults.size() + (outage_ ? 1 : 0); }
  const fault& entry(std::size_t i) const;
  bool applies_here(const fault& f) const;

  fault_plan plan_;
  std::vector<entry_state> state_;
  time_point plan_start_;
  random rng_;
  responder_options options_;
  mock_endpoint::ledger ledger_;
  soap::message parsed_;  // each request's message, parsed into the last one's buffers
  fault_counters faults_{};
  responder_counters counters_;
  std::deque<request_summary> recent_;
  std::uint64_t next_request_number_ = 1;
  std::uint64_t resets_ = 0;
  struct numbered_body {
    std::uint64_t number = 0;
    std::string bytes;
  };
  std::deque<numbered_body> bodies_;
  std::size_t body_bytes_ = 0;
  std::string spare_body_;  // the last body dropped, whose capacity the next one reuses
  std::string wsdl_;        // written once when there is a definition
  // For "beyond" limits: arrivals of admitted requests in the last second, and when admitted
  // requests still in progress will be answered.
  std::deque<time_point> admitted_arrivals_;
  std::vector<time_point> busy_until_;
  std::optional<mock_endpoint::outage> outage_;
  response_metrics responses_;
  entry_state outage_state_;
};

}  // namespace outbound::mock_endpoint
