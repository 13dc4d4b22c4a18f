// The queue operations of sqlite_store: accepting changes, taking due batches through the
// per-definition cursor, settling attempts (buffered until flush), user operations and counts.
#include <algorithm>
#include <optional>

#include "common/input_error.hpp"
#include "sender/sqlite_store.hpp"
#include "sender/sqlite_store_impl.hpp"
#include "sender/store_detail.hpp"
#include "soap/ids.hpp"

namespace outbound::sender {

using namespace sqlite_detail;
using detail::statement_use;

namespace {

// Above this many buffered results, record_attempt hands them to the writer by itself.
constexpr std::size_t max_buffered = 20'000;

// take_due reads at least this many due rows per query and keeps the rest for the next takes.
constexpr std::size_t read_ahead = 256;

// SQLite (3.40) seeks an index on the first column of a row value only: `(next_attempt, sequence)
// > (?, ?)` would scan every row that shares the cursor's next_attempt (all of one accept() do)
// on each call. So the rows after the cursor come in two seeks: the rest of the cursor's instant
// by sequence, then the later instants. ?1 definition, ?2 now, ?3 and ?4 the cursor, ?5 limit.
struct cursor_seeks {
  std::string same_instant, later;
};
cursor_seeks after_cursor(const std::string& columns, const std::string& from,
                          const std::string& due) {
  const std::string pending = "SELECT " + columns + from +
                              " WHERE n.definition = ?1 AND n.state IN ('queued', 'retrying') AND ";
  return {pending + "n.next_attempt = ?3 AND n.sequence > ?4 ORDER BY n.sequence LIMIT ?5",
          pending + "n.next_attempt > ?3" + due + " ORDER BY n.next_attempt, n.sequence LIMIT ?5"};
}
// Both seeks in one statement, for keys only: joined by UNION ALL, SQLite copies every column of
// every row from one half to the result, which for whole rows cost more than a second statement.
std::string in_one(const cursor_seeks& s) {
  return "SELECT * FROM (" + s.same_instant + ") UNION ALL SELECT * FROM (" + s.later +
         ") LIMIT ?5";
}

// A notification (read_row's columns), then its record's values (read_outgoing's), read when the
// batch is formed (latest data).
const std::string notification_columns =
    "n.sequence, n.id, n.definition, n.record_id, n.created, n.state, n.attempts, "
    "n.next_attempt, n.last_error, n.last_attempt, n.delivered_at";
const std::string row_columns = notification_columns + ", r.object, r.fields, r.deleted";
const std::string row_with_record =
    " FROM notifications n LEFT JOIN records r ON r.id = n.record_id";
// Due rows come without their records: record_walk reads those.
const cursor_seeks due_rows =
    after_cursor(notification_columns, " FROM notifications n", " AND n.next_attempt <= ?2");
// The records from a given id on, in id order: record_walk's statement.
const std::string records_from =
    "SELECT id, object, fields, deleted FROM records WHERE id >= ?1 ORDER BY id";

// One record by id, for a due row whose record is behind record_walk's.
const std::string record_by_id = "SELECT id, object, fields, deleted FROM records WHERE id = ?1";

// The records of due rows, read by stepping along the records table. Due rows come in the order
// their records were created as a rule (a queue is created in order, and generated ids grow with
// it), so the next row's record is usually the next record or the same: a step, where the join
// of each row with its record sought it from the table's root (resuming a million, the join took
// 0.52 s of SQLite's time, the rows alone 0.21 s and every record in order 0.15 s). A row for an
// older record (an update's) is sought on its own, and the walk stays where it is for the rows
// after it.
class record_walk {
 public:
  explicit record_walk(detail::sqlite_db& db) : db_(db) {}
  // The statement on `id`'s row (columns: id, object, fields, deleted), or null if there is none.
  // Valid until the next call.
  const statement_use* find(std::string_view id) {
    // A step or two forward (the same record, the next, one past a deleted notification's);
    // further on, the walk seeks.
    constexpr int max_steps = 2;
    for (int i = 0; walk_ && on_row_; ++i) {
      const int order = walk_->text(0).compare(id);
      if (order == 0) return &*walk_;
      if (order > 0) return seek(one_, record_by_id, id) ? &*one_ : nullptr;
      if (i == max_steps) break;
      on_row_ = walk_->step();
    }
    on_row_ = seek(walk_, records_from, id);
    return on_row_ && walk_->text(0) == id ? &*walk_ : nullptr;
  }

 private:
  // Runs `sql` for `id` anew in `q`; whether it has a row.
  bool seek(std::optional<statement_use>& q, const std::string& sql, std::string_view id) {
    q.reset();  // before the statement is used again: it resets it
    q.emplace(db_, sql);
    q->bind(1, id);
    return q->step();
  }

  detail::sqlite_db& db_;
  std::optional<statement_use> walk_, one_;
  bool on_row_ = false;
};
// The due rows' keys only (the due index covers them), while fresh rows are about: those come
// from memory, the others are read one at a time.
const std::string due_keys_query = in_one(after_cursor(
    "n.next_attempt, n.sequence", " FROM notifications n", " AND n.next_attempt <= ?2"));
const std::string one_row_query =
    "SELECT " + row_columns + row_with_record + " WHERE n.sequence = ?1";

// accept() keeps at most this many rows for take_due to hand out without reading them back:
// about 20 MB, two of `send`'s chunks.
constexpr std::size_t max_fresh = 20'000;

const std::string next_query =
    in_one(after_cursor("n.next_attempt, n.sequence", " FROM notifications n", ""));

// accept() writes new rows this many to a statement: per row, a statement's own work (binding,
// stepping into the VDBE, halting and resetting it) cost about as much as the row's insert.
constexpr std::size_t rows_per_insert = 32;

// "INSERT ... VALUES (...), (...)" with `rows` copies of `values`, whose parameters are `?`.
std::string multi_row_insert(std::string_view head, std::string_view values, std::size_t rows) {
  std::string sql(head);
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) sql += ", ";
    sql += values;
  }
  return sql;
}

// One row's VALUES and the statements for one row and for rows_per_insert rows, per table.
struct insert_statements {
  std::string one, full;
  insert_statements(std::string_view head, std::string_view values)
      : one(multi_row_insert(head, values, 1)),
        full(multi_row_insert(head, values, rows_per_insert)) {}
};
// OR ROLLBACK: a multi-row INSERT that may stop halfway (ABORT, the default) makes SQLite keep a
// statement journal of every page it changes, to undo just that statement. accept() rolls back
// its whole transaction on any error anyway, so this lets SQLite do it at once, without the
// journal.
const insert_statements record_inserts(
    "INSERT OR ROLLBACK INTO records(id, object, fields, deleted, last_modified) VALUES ",
    "(?, ?, ?, 0, ?)");
const insert_statements notification_inserts(
    "INSERT OR ROLLBACK INTO notifications(sequence, id, definition, record_id, created, state, "
    "next_attempt) VALUES ",
    "(?, ?, ?, ?, ?, 'queued', ?)");

// Writes rows[from, from + n) with one statement: binds each row's columns through `bind_row`,
// which returns the next parameter number. The rows outlive the statement: no copies are bound.
template <class Row, class Bind>
void insert_rows(detail::sqlite_db& db, const std::string& sql, const std::vector<Row>& rows,
                 std::size_t from, std::size_t n, Bind bind_row) {
  statement_use q(db, sql);
  int param = 1;
  for (std::size_t i = from; i < from + n; ++i) param = bind_row(q, rows[i], param);
  q.run();
}

// Writes `rows` in statements of rows_per_insert (the rest one row each, or kept when `full_only`),
// and removes what it wrote.
template <class Row, class Bind>
void insert_all(detail::sqlite_db& db, const insert_statements& sql, std::vector<Row>& rows,
                bool full_only, Bind bind_row) {
  std::size_t done = 0;
  for (; rows.size() - done >= rows_per_insert; done += rows_per_insert)
    insert_rows(db, sql.full, rows, done, rows_per_insert, bind_row);
  if (!full_only)
    for (; done < rows.size(); ++done) insert_rows(db, sql.one, rows, done, 1, bind_row);
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(done));
}

}  // namespace

void sqlite_store::impl::write_rows(pending_rows& rows, bool full_only) {
  // Records first: a notification names its record.
  insert_all(db, record_inserts, rows.records, full_only,
             [](statement_use& q, const record_row& r, int p) {
               q.bind_unowned(p, r.id).bind_unowned(p + 1, r.object);
               q.bind_unowned(p + 2, r.fields).bind(p + 3, r.at);
               return p + 4;
             });
  insert_all(db, notification_inserts, rows.notifications, full_only,
             [](statement_use& q, const notification_row& n, int p) {
               q.bind(p, n.sequence).bind_unowned(p + 1, n.id).bind(p + 2, n.definition);
               q.bind_unowned(p + 3, n.record_id).bind(p + 4, n.at).bind(p + 5, n.at);
               return p + 6;
             });
}

std::pair<std::string, std::string> sqlite_store::impl::write_record(const record_change& c,
                                                                     std::size_t i, time_point now,
                                                                     std::uint64_t& next_rec,
                                                                     pending_rows& rows) {
  // The error's path, built only for an error.
  const auto where = [i] { return "/changes/" + std::to_string(i); };
  std::string id = c.record_id, object = c.object;
  if (c.kind == change_kind::create) {
    if (object.empty()) throw input_error("store", where() + "/object", "an sObject type");
    if (id.empty()) {
      id = soap::make_id(soap::key_prefix_for(object), next_rec++);
    } else {
      write_rows(rows);  // the id may be one of them
      if (read_record(id))
        throw input_error("store", where() + "/record_id", "a new record id, not " + id);
    }
    rows.records.push_back({id, object, detail::encode_fields(c.fields), us(now)});
    return {std::move(id), std::move(object)};
  }
  write_rows(rows);  // the record may be one of them
  auto r = read_record(id);
  if (!r) throw input_error("store", where() + "/record_id", "a known record id: " + id);
  if (r->deleted)
    throw input_error("store", where() + "/record_id", "a record that is not deleted: " + id);
  if (c.kind == change_kind::update) detail::merge_fields(r->fields, c.fields);
  statement_use(db,
                "UPDATE records SET fields = ?1, deleted = ?2, last_modified = ?3 "
                "WHERE id = ?4")
      .bind(1, detail::encode_fields(r->fields))
      .bind(2, std::int64_t{c.kind == change_kind::remove})
      .bind(3, us(now))
      .bind(4, id)
      .run();
  return {std::move(id), std::move(r->object)};
}

void sqlite_store::impl::queue_notifications(const std::string& record_id,
                                             const std::string& object, time_point now,
                                             std::uint64_t& next_seq, accept_result& result,
                                             pending_rows& rows) {
  for (const auto& d : defs) {
    if (d.def.object != object) continue;
    notification n;
    n.sequence = next_seq++;
    n.id = soap::make_id(soap::key_prefix::notification, n.sequence);
    n.definition = d.def.full_name;
    n.record_id = record_id;
    n.created = n.next_attempt = now;
    rows.notifications.push_back(
        {static_cast<std::int64_t>(n.sequence), n.id, d.db_id, record_id, us(now)});
    ++deltas[{d.db_id, state::queued}];
    result.notifications.push_back(std::move(n));
  }
}

accept_result sqlite_store::accept(std::vector<record_change> changes, time_point now) {
  auto& m = *impl_;
  // The writer's jobs hold SQLite's write lock: wait for those handed over, rather than have
  // SQLite's busy handler sleep. Results still buffered stay so: they touch no row this writes,
  // and handing them over here made every accept() wait for a fresh job (`send` accepts a chunk
  // between deliveries).
  m.collect(true);
  const bool creates_only = std::all_of(
      changes.begin(), changes.end(), [](const auto& c) { return c.kind == change_kind::create; });
  if (!creates_only) {
    // Rows read ahead, and fresh ones, carry record values this call may change.
    for (std::size_t di = 0; di < m.ahead.size(); ++di) m.drop_ahead(di);
    m.fresh.clear();
  }
  accept_result result;
  std::uint64_t next_seq = m.next_sequence, next_rec = m.next_record_sequence;
  detail::transaction tx(m.db);
  // On a bad change the transaction rolls back; so must the pending count changes.
  struct clear_on_throw {
    impl& m;
    bool done = false;
    ~clear_on_throw() {
      if (!done) m.deltas.clear();
    }
  } guard{m};
  pending_rows rows;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    auto [id, object] = m.write_record(changes[i], i, now, next_rec, rows);
    m.queue_notifications(id, object, now, next_seq, result, rows);
    result.record_ids.push_back(std::move(id));
    if (rows.notifications.size() >= rows_per_insert) m.write_rows(rows, /*full_only=*/true);
  }
  m.write_rows(rows);
  const std::optional<std::int64_t> revision =
      creates_only ? std::nullopt : std::optional(m.revise());
  if (next_rec != m.next_record_sequence)
    statement_use(m.db, "UPDATE meta SET value = ?1 WHERE key = 'next_record_sequence'")
        .bind(1, static_cast<std::int64_t>(next_rec))
        .run();
  m.apply_deltas();
  guard.done = true;
  tx.commit();  // durable from here: the notifications count as accepted
  if (revision) m.revised(*revision);
  m.next_sequence = next_seq;
  m.next_record_sequence = next_rec;
  // New rows are keyed (now, larger sequence): behind every cursor unless the clock went back.
  for (std::size_t di = 0; di < m.cursors.size(); ++di)
    if (m.cursors[di].at > us(now)) m.reset_cursor(di);
  if (creates_only) m.keep_fresh(changes, result);
  return result;
}

outgoing sqlite_store::impl::read_outgoing(const statement_use& row, const statement_use* values,
                                           int object_column) {
  outgoing o{read_row(row), {}};
  // None, or NULL values (a LEFT JOIN's): no such record (never for rows this store wrote).
  if (values && values->optional_int64(object_column + 2)) {
    std::shared_ptr<record> r = reusable_record();
    r->id = o.item.record_id;
    r->object = values->text(object_column);
    if (!detail::decode_fields_into(values->text(object_column + 1), r->fields)) r->fields.clear();
    r->deleted = values->int64(object_column + 2) != 0;
    r->last_modified = {};
    o.data = std::move(r);
  }
  return o;
}

std::shared_ptr<record> sqlite_store::impl::reusable_record() {
  // A few tries from where the last search ended: a batch's records come free together once it
  // is written, so the first try nearly always finds one; more rows than the pool holds (rows
  // read far ahead) get records of their own rather than a search of the whole pool.
  constexpr std::size_t pool_size = 1024, tries = 4;
  for (std::size_t t = 0; t < tries && t < records_read.size(); ++t) {
    std::shared_ptr<record>& r = records_read[next_reusable++ % records_read.size()];
    if (r.use_count() == 1) return r;
  }
  auto r = std::make_shared<record>();
  if (records_read.size() < pool_size) records_read.push_back(r);
  return r;
}

// The new records' notifications as take_due would read them back; shared record values per
// record, as in the store.
void sqlite_store::impl::keep_fresh(std::span<record_change> changes, const accept_result& result) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < changes.size() && fresh.size() < max_fresh; ++i) {
    auto r = std::make_shared<record>();
    r->id = result.record_ids[i];
    r->object = std::move(changes[i].object);
    r->fields = std::move(changes[i].fields);
    for (; n < result.notifications.size() && result.notifications[n].record_id == r->id &&
           fresh.size() < max_fresh;
         ++n)
      fresh.emplace(result.notifications[n].sequence, outgoing{result.notifications[n], r});
  }
}

std::vector<outgoing> sqlite_store::take_due(std::string_view definition, time_point now,
                                             std::size_t limit) {
  auto& m = *impl_;
  std::vector<outgoing> out;
  auto it = m.def_by_name.find(std::string(definition));
  if (it == m.def_by_name.end() || limit == 0) return out;
  const std::size_t di = it->second;
  // A retry not yet on disk is read at its old place, in flight, and passed: when it is due, it
  // must be written first (and waited for), so that this reads what a synchronous flush would
  // have left (the same batches, also in virtual time).
  if (m.buffered_due[di] && *m.buffered_due[di] <= now) m.write_behind();
  bool wait = std::any_of(m.in_writer.begin(), m.in_writer.end(), [&](const writing& job) {
    return di < job.due.size() && job.due[di] && *job.due[di] <= now;
  });
  m.collect(wait);
  // Changes made elsewhere, at most once a millisecond: rows held in memory, and the cursor, may
  // be out of date.
  const bool checked_lately =
      m.checked_at && now >= *m.checked_at && now - *m.checked_at < impl::check_every;
  if (!checked_lately) {
    m.notice_changes_elsewhere();
    m.checked_at = now;
  }
  const std::int64_t def_db_id = m.defs[di].db_id;
  key& cursor = m.cursors[di];
  auto& ahead = m.ahead[di];
  while (out.size() < limit && !ahead.empty()) {
    out.push_back(std::move(ahead.front()));
    ahead.pop_front();
  }
  const auto take = [&](outgoing o) {
    if (out.size() < limit)
      out.push_back(std::move(o));
    else
      ahead.push_back(std::move(o));
  };
  record_walk records(m.db);
  // Reads at most `want` rows of `sql` after the cursor, moving it; returns how many it read.
  const auto read = [&](const std::string& sql, bool keys_only, std::size_t want) {
    statement_use q(m.db, sql);
    q.bind(1, def_db_id).bind(2, us(now)).bind(3, cursor.at).bind(4, cursor.sequence);
    q.bind(5, static_cast<std::int64_t>(want));
    std::size_t rows = 0;
    while (q.step()) {
      ++rows;
      const std::int64_t seq = keys_only ? q.int64(1) : q.int64(0);
      cursor = {keys_only ? q.int64(0) : q.int64(7), seq};
      // After a cursor reset, rows in flight come by again.
      if (m.claimed.count(static_cast<std::uint64_t>(seq))) continue;
      if (!keys_only) {
        take(m.read_outgoing(q, records.find(q.text(3)), 1));
      } else if (auto f = m.fresh.find(static_cast<std::uint64_t>(seq)); f != m.fresh.end()) {
        take(std::move(f->second));
        m.fresh.erase(f);
      } else {
        statement_use one(m.db, one_row_query);
        one.bind(1, seq);
        if (one.step()) take(m.read_outgoing(one, &one, 11));
      }
    }
    return rows;
  };
  while (out.size() < limit) {
    const std::size_t want = std::max(limit - out.size(), read_ahead);
    // With fresh rows about, the keys come first and only the others are read.
    std::size_t rows = 0;
    if (!m.fresh.empty()) {
      rows = read(due_keys_query, true, want);
    } else {
      rows = read(due_rows.same_instant, false, want);
      if (rows < want) rows += read(due_rows.later, false, want - rows);
    }
    if (rows < want) break;
  }
  for (auto& o : out) {
    m.claimed[o.item.sequence] = {di, o.item.status};
    o.item.status = state::in_flight;
  }
  return out;
}

std::optional<time_point> sqlite_store::next_due(std::string_view definition) const {
  auto& m = *impl_;
  m.collect();
  auto it = m.def_by_name.find(std::string(definition));
  if (it == m.def_by_name.end()) return std::nullopt;
  const std::size_t di = it->second;
  std::optional<time_point> best = m.buffered_due[di];
  for (const auto& job : m.in_writer)  // claimed, so not read from disk below
    if (di < job.due.size() && job.due[di] && (!best || *job.due[di] < *best)) best = job.due[di];
  // Read ahead: before every row after the cursor. (If another process deleted it, take_due
  // finds out, and this is only an early wake.)
  if (!m.ahead[di].empty()) {
    const time_point t = m.ahead[di].front().item.next_attempt;
    if (!best || t < *best) best = t;
  }
  key from = m.cursors[di];
  constexpr std::int64_t page = 64;
  while (true) {
    statement_use q(m.db, next_query);
    q.bind(1, m.defs[di].db_id).bind(3, from.at).bind(4, from.sequence).bind(5, page);
    std::int64_t rows = 0;
    while (q.step()) {
      ++rows;
      from = {q.int64(0), q.int64(1)};
      if (m.claimed.count(static_cast<std::uint64_t>(from.sequence))) continue;
      time_point t = from_us(from.at);
      return best && *best < t ? best : std::optional(t);
    }
    if (rows < page) return best;
  }
}

void sqlite_store::record_attempt(std::span<const settlement> settlements, time_point at,
                                  std::string_view error) {
  auto& m = *impl_;
  m.errors.emplace_back(error);
  for (const auto& o : settlements) {
    auto it = m.claimed.find(o.sequence);
    if (it == m.claimed.end()) continue;
    m.buffer.push_back({o, us(at), m.errors.size() - 1});
    if (o.to != state::retrying) continue;
    const std::size_t di = it->second.definition;
    auto& due = m.buffered_due[di];
    if (!due || o.next_attempt < *due) due = o.next_attempt;
    if (key{us(o.next_attempt), static_cast<std::int64_t>(o.sequence)} < m.cursors[di])
      m.reset_cursor(di);
  }
  if (m.buffer.size() >= max_buffered) m.write_behind();
}

void sqlite_store::release(std::span<const std::uint64_t> sequences) {
  auto& m = *impl_;
  m.collect();
  auto in_writer = [&m](std::uint64_t seq) {
    return std::any_of(m.in_writer.begin(), m.in_writer.end(), [seq](const auto& job) {
      return std::find(job.sequences.begin(), job.sequences.end(), seq) != job.sequences.end();
    });
  };
  for (auto seq : sequences) {
    auto it = m.claimed.find(seq);
    if (it == m.claimed.end()) continue;
    bool settled = std::any_of(m.buffer.begin(), m.buffer.end(),
                               [&](const buffered& b) { return b.result.sequence == seq; });
    if (settled || in_writer(seq)) continue;
    m.reset_cursor(it->second.definition);
    m.claimed.erase(it);
  }
}

operation_result sqlite_store::retry_now(std::string_view notification_id, time_point now) {
  auto& m = *impl_;
  m.flush();
  m.fresh.clear();  // the row changes
  auto n = m.row_of(notification_id);
  if (!n) return operation_result::unknown_id;
  if (!is_pending(n->status) && n->status != state::failed) return operation_result::not_allowed;
  m.change_state(*n, detail::pending_state(n->attempts), now);
  return operation_result::done;
}

std::size_t sqlite_store::retry_failed(time_point now) {
  auto& m = *impl_;
  m.flush();
  m.fresh.clear();
  std::size_t total = 0;
  detail::transaction tx(m.db);
  for (const auto& d : m.defs) {
    for (state to : {state::queued, state::retrying}) {
      statement_use(m.db,
                    "UPDATE notifications SET state = ?1, next_attempt = ?2 WHERE state = 'failed' "
                    "AND definition = ?3 AND (attempts = 0) = ?4")
          .bind(1, to_string(to))
          .bind(2, us(now))
          .bind(3, d.db_id)
          .bind(4, std::int64_t{to == state::queued})
          .run();
      auto n = m.db.changes();
      m.deltas[{d.db_id, state::failed}] -= n;
      m.deltas[{d.db_id, to}] += n;
      total += static_cast<std::size_t>(n);
    }
  }
  m.apply_deltas();
  const std::int64_t revision = m.revise();
  tx.commit();
  m.revised(revision);
  for (std::size_t di = 0; di < m.cursors.size(); ++di) m.reset_cursor(di);
  return total;
}

operation_result sqlite_store::remove(std::string_view notification_id) {
  auto& m = *impl_;
  m.flush();
  m.fresh.clear();  // the row changes
  auto n = m.row_of(notification_id);
  if (!n) return operation_result::unknown_id;
  if (!is_pending(n->status) && n->status != state::failed && n->status != state::in_flight)
    return operation_result::not_allowed;
  m.change_state(*n, state::deleted, std::nullopt);
  return operation_result::done;
}

state_counts sqlite_store::counts(std::string_view definition) const {
  auto& m = *impl_;
  m.flush();
  state_counts c;
  std::optional<std::int64_t> only;
  if (!definition.empty()) {
    auto it = m.def_by_name.find(std::string(definition));
    if (it == m.def_by_name.end()) return c;
    only = m.defs[it->second].db_id;
  }
  statement_use q(m.db, "SELECT definition, state, n FROM counts");
  while (q.step()) {
    if (only && q.int64(0) != *only) continue;
    if (auto s = state_from_string(q.text(1))) c[*s] += static_cast<std::uint64_t>(q.int64(2));
  }
  for (const auto& [seq, cl] : m.claimed) {
    if (only && m.defs[cl.definition].db_id != *only) continue;
    --c[cl.prior];
    ++c[state::in_flight];
  }
  return c;
}

void sqlite_store::for_each(std::span<const state> states, std::size_t limit,
                            const std::function<void(const notification&)>& visit) const {
  auto& m = *impl_;
  m.flush();
  auto wanted = [&](state s) { return std::find(states.begin(), states.end(), s) != states.end(); };
  std::string in;
  for (state s : all_states) {
    bool on_disk = wanted(s) || (wanted(state::in_flight) && is_pending(s));
    if (s != state::in_flight && on_disk)
      in += (in.empty() ? "'" : ", '") + std::string(to_string(s)) + "'";
  }
  if (in.empty() || limit == 0) return;
  statement_use q(m.db, "SELECT " + columns + " FROM notifications WHERE state IN (" + in +
                            ") ORDER BY sequence");
  std::size_t n = 0;
  while (n < limit && q.step()) {
    notification row = m.read_row(q);
    if (!wanted(row.status)) continue;
    visit(row);
    ++n;
  }
}

}  // namespace outbound::sender
