#pragma once
// One play of a scenario on a given scheduler and transport, whatever the clock: the store, the
// mock endpoints' handlers, the sender's engine, the workload feed, the measurements and the
// report. The virtual and real runners only supply the clock, the transport and the sockets.
//   session s(scenario, seed, loop);          // mocks exist from here on
//   s.start(transport, urls);                 // one URL per scenario endpoint
//   while (!s.finished() && loop.step()) {}
//   reports::run_report r = s.report(wall_started, wall_finished);

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "common/scheduler.hpp"
#include "mock_endpoint/responder.hpp"
#include "reports/metrics.hpp"
#include "reports/report.hpp"
#include "scenarios/expectations.hpp"
#include "scenarios/scenario.hpp"
#include "scenarios/workload.hpp"
#include "sender/engine.hpp"
#include "sender/memory_store.hpp"

namespace outbound::scenarios {

// Opens the run's store: the first call makes it, later ones (after a crash) open it again.
using store_factory = std::function<std::unique_ptr<sender::store>()>;

class session {
 public:
  // `sched` must run on the scenario's start time (virtual) or on the wall clock (real); the
  // timeline is placed at sched.clock().now(). Without `open_store` the store is in memory, and
  // a crash keeps it (its in-flight notifications are released, as a restarted process finds
  // them in its file).
  session(const scenario& s, std::uint64_t seed, scheduler& sched, store_factory open_store = {});
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  std::size_t endpoint_count() const { return mocks_.size(); }
  mock_endpoint::responder& mock(std::size_t i) { return *mocks_[i]; }

  // Starts the engine, the workload and the timers. `urls[i]` is where scenario endpoint i is
  // reached (path included). Throws input_error for a bad retry policy.
  void start(sender::transport& t, const std::vector<std::string>& urls);

  // Everything settled after the workload (or the deadline passed and in-flight work ended).
  bool finished() const { return finished_; }
  // Called once when the run finishes (a real runner stops its io_context here).
  void on_finished(std::function<void()> f) { on_finished_ = std::move(f); }

  time_point start_time() const { return start_; }
  time_point end_time() const { return end_; }
  std::uint64_t accepted() const { return measured_.total.accepted; }
  std::uint64_t delivered() const { return measured_.total.delivered; }
  std::uint64_t messages() const { return measured_.total.messages; }
  std::uint64_t failed_attempts() const { return metrics_.totals().messages_failed; }

  // The measurements, complete once finished.
  const measurements& measured();
  // The whole result; `wall_started`/`wall_finished` are the only wall-clock fields.
  reports::run_report report(time_point wall_started, time_point wall_finished,
                             std::string_view clock_name);

 private:
  void feed_next();
  void sample();
  void snapshot(duration at);
  void check_done();
  void finish();
  sender::engine_observer observer();
  definition_measurements& of(const std::string& definition);
  // The measurements a notification of `definition` counts in: the total, the definition's and
  // its endpoint's.
  std::array<definition_measurements*, 3> scopes(const std::string& definition);
  void measure_listeners();
  void act(const user_action& a);
  reports::check_result crash(const std::string& name);
  void start_engine();
  std::optional<std::string> pick(const user_action& a) const;
  void measure_newest_values();
  void settled(const sender::notification& n);
  duration max_recovery() const;
  void add_markers(reports::run_report& r) const;
  void account_for_faults(reports::run_report& r) const;

  const scenario& s_;
  std::uint64_t seed_;
  scheduler& sched_;
  time_point start_;
  time_point end_{};
  random rng_;
  random workload_rng_;
  random sender_rng_;
  store_factory open_store_;
  bool in_memory_ = true;
  std::unique_ptr<sender::store> store_;
  std::vector<std::unique_ptr<mock_endpoint::responder>> mocks_;
  std::map<std::string, std::size_t> mock_of_definition_;  // full_name -> endpoint index
  std::map<std::string, record_pool> pools_;               // by object
  std::map<std::string, std::set<std::string>> changed_;   // object -> records changed in the run
  struct timed_change {
    duration at;
    sender::change_kind kind;
    std::string object;
  };
  std::vector<timed_change> feed_;
  std::size_t fed_ = 0;
  std::unique_ptr<sender::engine> engine_;
  sender::transport* transport_ = nullptr;
  reports::run_metrics metrics_;
  measurements measured_;
  std::vector<duration> snapshot_times_;
  std::size_t snapshots_taken_ = 0;
  duration sample_every_{};
  std::optional<time_point> drain_end_;  // last delivery of a notification queued before recovery
  std::size_t actions_done_ = 0;
  std::vector<reports::check_result> action_results_;  // one per action, in time order
  bool feed_done_ = false, stopping_ = false, finished_ = false;
  std::function<void()> on_finished_;
};

}  // namespace outbound::scenarios
