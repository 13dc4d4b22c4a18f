#pragma once
// Writes attempt results into the store file on a thread of its own, over a second connection,
// so that the delivery loop does not wait for SQLite's UPDATEs and commits (internal to sender/).
// Jobs are committed in the order submitted; jobs that queue up while one is written share the
// next transaction. The owner counts committed jobs to learn which results are on disk.
//   sqlite_writer w("outbound.db");
//   w.submit({{.definition = 1, .to = state::delivered, .runs = {{7, 7, 1}}}});
//   w.wait();  // returns 1, as w.committed() does from now on

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sender/sqlite_db.hpp"
#include "sender/store.hpp"

namespace outbound::sender::detail {

// Changes to the counts table, by (definitions.id, state); applied in the caller's transaction.
using count_deltas = std::map<std::pair<std::int64_t, state>, std::int64_t>;
void apply_counts(sqlite_db& db, count_deltas& deltas);  // and clears them

// Results that share definition, prior state, new state, next attempt and error: one UPDATE.
// Consecutive sequences attempted at one instant (a message's notifications, as a rule).
struct result_run {
  std::int64_t first = 0, last = 0;  // sequences, inclusive
  std::int64_t at = 0;               // the attempt's time in microseconds
};

struct result_group {
  std::int64_t definition = 0;  // definitions.id
  state prior = state::queued;  // the state on disk; rows another process changed are kept
  state to = state::delivered;
  std::int64_t next_attempt = 0;  // microseconds, when `to` is retrying
  std::string error{};            // the new last_error unless delivered
  std::vector<result_run> runs{};
};

// Writes the groups in the caller's transaction and adds their count changes to `deltas`.
void write_results(sqlite_db& db, const std::vector<result_group>& groups, count_deltas& deltas);

class sqlite_writer {
 public:
  // Opens the second connection (the file and schema must exist) and starts the thread.
  explicit sqlite_writer(const std::filesystem::path& file);
  // Writes what was submitted, then stops; a failure then is dropped (those results are only
  // attempts to make again).
  ~sqlite_writer();
  sqlite_writer(const sqlite_writer&) = delete;
  sqlite_writer& operator=(const sqlite_writer&) = delete;

  void submit(std::vector<result_group> job);
  // Jobs done since construction: committed, or failed (rolled back: their results are lost,
  // which only means attempts made again). Rethrows the exception of a failed write, once.
  std::uint64_t committed();
  // Waits until every submitted job is done, then as committed().
  std::uint64_t wait();

 private:
  void run();
  std::uint64_t result(std::unique_lock<std::mutex>& lock);

  sqlite_db db_;  // used by the thread only, once constructed
  std::mutex mutex_;
  std::condition_variable work_, done_;
  std::deque<std::vector<result_group>> queue_;
  std::uint64_t submitted_ = 0, committed_ = 0;
  std::exception_ptr error_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything it uses
};

}  // namespace outbound::sender::detail
