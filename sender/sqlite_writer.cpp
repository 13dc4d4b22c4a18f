// The writer thread of sqlite_store and the SQL both of them use to settle results and counts.
#include "sender/sqlite_writer.hpp"

namespace outbound::sender::detail {

void apply_counts(sqlite_db& db, count_deltas& deltas) {
  for (const auto& [k, n] : deltas) {
    if (n == 0) continue;
    statement_use(db,
                  "INSERT INTO counts(definition, state, n) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT(definition, state) DO UPDATE SET n = n + excluded.n")
        .bind(1, k.first)
        .bind(2, to_string(k.second))
        .bind(3, n)
        .run();
  }
  deltas.clear();
}

namespace {

// A run's results, one statement per run of the primary key: cheaper per row than a statement
// per row, and than reading a JSON list of rows (json_each and ->> cost more than the UPDATE).
// - A run of one row (each message at --batch 1) is named by `=`: SQLite then knows the
//   statement changes at most one row and keeps no statement journal for it (the writer thread's
//   24.2k instructions per notification became 18.9k, callgrind per thread, `send --batch 1` of
//   20,000 new records).
// - OR ROLLBACK: a statement of many rows that could stop halfway (ABORT, the default) makes
//   SQLite journal every page it changes to undo just that statement; a failed job is rolled
//   back whole anyway.
// - Guarded by the state on disk: a row that another process deleted or retried meanwhile keeps
//   that change (and this attempt is simply not recorded: at-least-once).
const std::string settle =
    "UPDATE OR ROLLBACK notifications SET state = ?1, attempts = attempts + 1, last_attempt = ?7, "
    "next_attempt = CASE WHEN ?1 = 'retrying' THEN ?2 ELSE next_attempt END, "
    "last_error = CASE WHEN ?3 THEN last_error ELSE ?4 END, "
    "delivered_at = CASE WHEN ?3 THEN ?7 ELSE delivered_at END ";
const std::string settle_one = settle + "WHERE sequence = ?5 AND state = ?6";
const std::string settle_range = settle + "WHERE sequence BETWEEN ?5 AND ?8 AND state = ?6";

}  // namespace

void write_results(sqlite_db& db, const std::vector<result_group>& groups, count_deltas& deltas) {
  for (const auto& g : groups) {
    const bool delivered = g.to == state::delivered;
    for (const auto& run : g.runs) {
      statement_use q(db, run.first == run.last ? settle_one : settle_range);
      // The state names are static: SQLite need not copy them.
      q.bind_unowned(1, to_string(g.to))
          .bind(2, g.next_attempt)
          .bind(3, std::int64_t{delivered})
          .bind_unowned(4, g.error)
          .bind(5, run.first)
          .bind_unowned(6, to_string(g.prior))
          .bind(7, run.at);
      if (run.first != run.last) q.bind(8, run.last);
      q.run();
      const std::int64_t n = db.changes();
      deltas[{g.definition, g.prior}] -= n;
      deltas[{g.definition, g.to}] += n;
    }
  }
}

sqlite_writer::sqlite_writer(const std::filesystem::path& file)
    : db_(file, false), thread_([this] { run(); }) {}

sqlite_writer::~sqlite_writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();
}

void sqlite_writer::submit(std::vector<result_group> job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
    ++submitted_;
  }
  work_.notify_one();
}

std::uint64_t sqlite_writer::committed() {
  std::unique_lock lock(mutex_);
  return result(lock);
}

std::uint64_t sqlite_writer::wait() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [this] { return committed_ == submitted_; });
  return result(lock);
}

std::uint64_t sqlite_writer::result(std::unique_lock<std::mutex>& lock) {
  if (error_) {
    auto e = std::exchange(error_, nullptr);
    lock.unlock();
    std::rethrow_exception(e);
  }
  return committed_;
}

void sqlite_writer::run() {
  // synchronous and secure_delete are settings of the connection; WAL is the file's (set by the
  // store).
  try {
    db_.exec("PRAGMA synchronous=NORMAL; " + std::string(no_secure_delete));
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  count_deltas deltas;
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    auto jobs = std::move(queue_);
    queue_.clear();
    lock.unlock();
    std::exception_ptr failure;
    try {
      transaction tx(db_);
      for (const auto& job : jobs) write_results(db_, job, deltas);
      apply_counts(db_, deltas);
      tx.commit();
    } catch (...) {
      deltas.clear();
      failure = std::current_exception();
    }
    lock.lock();
    if (failure && !error_) error_ = failure;
    committed_ += jobs.size();
    done_.notify_all();
  }
}

}  // namespace outbound::sender::detail
