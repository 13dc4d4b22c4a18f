#pragma once
// The state of sqlite_store shared by its two source files (internal to sender/): the
// connection, the definitions, the in-memory claims of in-flight notifications, the buffered
// attempt results, those the writer thread has not committed yet, and the per-definition
// cursors into the due index.
//   statement_use q(impl.db, "SELECT " + sqlite_columns + " FROM notifications ...");

#include <boost/unordered/unordered_flat_map.hpp>

#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "sender/sqlite_db.hpp"
#include "sender/sqlite_store.hpp"
#include "sender/sqlite_writer.hpp"

namespace outbound::sender {
namespace sqlite_detail {

inline const std::string columns =
    "sequence, id, definition, record_id, created, state, attempts, next_attempt, last_error, "
    "last_attempt, delivered_at";

inline std::int64_t us(time_point t) {
  return t.time_since_epoch().count();
}
inline time_point from_us(std::int64_t v) {
  return time_point(duration(v));
}

struct key {
  std::int64_t at = std::numeric_limits<std::int64_t>::min();
  std::int64_t sequence = 0;
  friend auto operator<=>(const key&, const key&) = default;
};

// Rows accept() writes, gathered for multi-row INSERTs (sqlite_store_queue.cpp).
struct record_row {
  std::string id, object, fields;
  std::int64_t at = 0;
};
struct notification_row {
  std::int64_t sequence = 0;
  std::string id;
  std::int64_t definition = 0;
  std::string record_id;
  std::int64_t at = 0;
};
struct pending_rows {
  std::vector<record_row> records;
  std::vector<notification_row> notifications;
};

struct claim {
  std::size_t definition = 0;   // index into impl::defs
  state prior = state::queued;  // the state on disk
};

struct buffered {
  settlement result;
  std::int64_t at = 0;
  std::size_t error = 0;  // index into impl::errors
};

// Results handed to the writer thread: claimed until it has committed them.
struct writing {
  std::vector<std::uint64_t> sequences;
  std::vector<std::optional<time_point>> due;  // per definition: the earliest retry among them
};

}  // namespace sqlite_detail

struct sqlite_store::impl {
  using key = sqlite_detail::key;
  using claim = sqlite_detail::claim;
  using buffered = sqlite_detail::buffered;
  using statement_use = detail::statement_use;

  detail::sqlite_db db;
  struct def_entry {
    std::int64_t db_id = 0;
    soap::definition def;
  };
  std::vector<def_entry> defs;
  std::unordered_map<std::string, std::size_t> def_by_name;
  std::unordered_map<std::int64_t, std::size_t> def_by_db_id;
  // Every notification taken comes in and goes out once: open addressing, no node to allocate.
  boost::unordered_flat_map<std::uint64_t, claim> claimed;
  std::vector<key> cursors;  // per definition; default: before every row
  // Per definition, due rows read beyond what take_due asked for, in cursor order, not claimed:
  // one query serves many small batches (--batch 1 takes one row at a time).
  std::vector<std::deque<outgoing>> ahead;
  // Notifications accept() committed for records it created, with those records' values, for
  // take_due to hand out without reading them back (`send` delivers its new records while it
  // queues them). Keyed by sequence; bounded (max_fresh); emptied when a record or a row changes
  // in any other way, since the copies would then be out of date.
  std::unordered_map<std::uint64_t, outgoing> fresh;
  // Records read_outgoing filled, kept to be filled again: their strings keep their memory, so
  // reading a row's values costs no allocation once a batch's worth exist (it was about 7 a row
  // with their frees, for `send` resuming). Only the delivering thread touches them.
  std::vector<std::shared_ptr<record>> records_read;
  std::size_t next_reusable = 0;
  std::vector<buffered> buffer;
  std::vector<std::string> errors;
  std::vector<std::optional<time_point>> buffered_due;  // earliest retry in the buffer
  std::unique_ptr<detail::sqlite_writer> writer;        // started by the first write_behind()
  std::deque<sqlite_detail::writing> in_writer;         // submitted, in order, not yet collected
  std::uint64_t collected = 0;                          // jobs committed and forgotten
  // Rows read ahead and fresh copies are the file as it was when they were read, and the cursors
  // assume no row becomes due behind them. Another connection may change that (a user's
  // `outbound delete` or `retry`, another `send` updating a record): every such change raises
  // meta.revision in its own transaction (revise()).
  // data_version moves when any other connection commits, the writer thread's included; only
  // then is the revision read.
  std::int64_t seen_data_version = -1, seen_revision = -1;
  // When (take_due's `now`) rows held were last checked. Takes within a millisecond of a check
  // share it: each check is a read transaction, whose lock on the WAL index is two fcntl() calls,
  // and at `--batch 1` a check per take cost 7% of the throughput (43,000 fcntl() for 20,000
  // new records). So a change made elsewhere reaches take_due within a millisecond: no later
  // than a message in flight when it was made would be answered.
  std::optional<time_point> checked_at;
  static constexpr duration check_every = std::chrono::milliseconds(1);
  std::uint64_t next_sequence = 1;
  std::uint64_t next_record_sequence = 1;
  detail::count_deltas deltas;  // counts to add in this connection's next transaction

  impl(const std::filesystem::path& file, bool create) : db(file, create) {}

  void load_definitions();
  void apply_deltas() { detail::apply_counts(db, deltas); }
  // Hands the buffered results to the writer thread; they stay claimed until committed.
  void write_behind();
  // Forgets the claims of what the writer has committed (`wait`: after waiting for all of it).
  void collect(bool wait = false);
  // Everything buffered is on disk on return.
  void flush() {
    write_behind();
    collect(true);
  }
  notification read_row(const statement_use& row) const;
  // A notification (read_row's columns) and its record's values: the object, fields and deleted
  // columns of `values` from `object_column` on (the same row joined, or record_walk's); none when
  // `values` is null.
  outgoing read_outgoing(const statement_use& row, const statement_use* values, int object_column);
  // A record for read_outgoing: one of records_read that nothing else holds any more, else new.
  std::shared_ptr<record> reusable_record();
  // Moves the values out of `changes`, which are written by then.
  void keep_fresh(std::span<record_change> changes, const accept_result& result);
  void reset_cursor(std::size_t di) {
    cursors[di] = key{};
    ahead[di].clear();
  }
  // Forgets the rows read ahead (their values may be out of date) and moves the cursor back to
  // just before them, so that the next take reads them again.
  void drop_ahead(std::size_t di) {
    if (ahead[di].empty()) return;
    const notification& first = ahead[di].front().item;
    cursors[di] = {sqlite_detail::us(first.next_attempt),
                   static_cast<std::int64_t>(first.sequence) - 1};
    ahead[di].clear();
  }
  // Inside a write transaction that changes a pending row or a record: raises meta.revision and
  // returns it; revised() once committed.
  std::int64_t revise();
  // Our own revision, committed: nothing to notice, unless another connection revised the file
  // in between (then the revision is not the next one after what was seen).
  void revised(std::int64_t revision) {
    if (revision == seen_revision + 1) seen_revision = revision;
  }
  // If another connection revised the file: forgets the rows held in memory (ahead, fresh) and
  // reads from the start of the due index again.
  void notice_changes_elsewhere();
  void count(std::int64_t def_db_id, state from, state to) {
    --deltas[{def_db_id, from}];
    ++deltas[{def_db_id, to}];
  }
  std::optional<notification> row_of(std::string_view id);
  std::optional<record> read_record(std::string_view record_id);
  // accept()'s steps for change `i`, inside its transaction: the record written (its id and
  // object returned), then one queued notification per definition on that object.
  // New rows wait in `rows` for a multi-row INSERT; write_rows() writes them, and must run before
  // anything reads the records or notifications tables inside accept().
  std::pair<std::string, std::string> write_record(const record_change& c, std::size_t i,
                                                   time_point now, std::uint64_t& next_rec,
                                                   sqlite_detail::pending_rows& rows);
  void queue_notifications(const std::string& record_id, const std::string& object, time_point now,
                           std::uint64_t& next_seq, accept_result& result,
                           sqlite_detail::pending_rows& rows);
  // Writes the rows (all of them, or `full_only`: only whole multi-row statements' worth).
  void write_rows(sqlite_detail::pending_rows& rows, bool full_only = false);
  void change_state(const notification& n, state to, std::optional<time_point> next);
};

}  // namespace outbound::sender
