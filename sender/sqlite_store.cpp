// The SQLite store. Durable: definitions, records, notifications and their counts per state.
// In memory only: which notifications are in flight ("claimed"), attempt results not yet
// flushed, and a cursor per definition into the due index so that taking a batch reads only
// the rows it takes. The schema and the crash-safety argument are in docs/store.md.
#include "sender/sqlite_store.hpp"
#include "sender/sqlite_store_impl.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <unordered_map>

#include "common/input_error.hpp"
#include "common/json_text.hpp"
#include "sender/sqlite_db.hpp"
#include "sender/sqlite_identity.hpp"
#include "sender/store_detail.hpp"
#include "soap/ids.hpp"

namespace outbound::sender {
namespace {

using detail::statement_use;
using namespace sqlite_detail;

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS definitions(
  id INTEGER PRIMARY KEY, full_name TEXT NOT NULL UNIQUE, object TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records(
  id TEXT PRIMARY KEY, object TEXT NOT NULL, fields TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, last_modified INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notifications(
  sequence INTEGER PRIMARY KEY, id TEXT NOT NULL, definition INTEGER NOT NULL,
  record_id TEXT NOT NULL, created INTEGER NOT NULL, state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '', last_attempt INTEGER, delivered_at INTEGER);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications(definition, next_attempt, sequence)
  WHERE state IN ('queued', 'retrying');
CREATE TABLE IF NOT EXISTS counts(
  definition INTEGER NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(definition, state)) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS delivery_status AS
  SELECT n.id, n.state, d.full_name AS outbound_message, d.object, n.record_id,
         strftime('%Y-%m-%dT%H:%M:%fZ', n.created / 1e6, 'unixepoch') AS created, n.attempts,
         CASE WHEN n.state IN ('queued', 'retrying')
              THEN strftime('%Y-%m-%dT%H:%M:%fZ', n.next_attempt / 1e6, 'unixepoch') END
           AS next_attempt,
         n.last_error
  FROM notifications n JOIN definitions d ON d.id = n.definition
  WHERE n.state IN ('queued', 'retrying', 'failed');
)sql";

}  // namespace

void sqlite_store::impl::load_definitions() {
  statement_use q(db, "SELECT id, full_name, body FROM definitions ORDER BY id");
  while (q.step()) {
    std::string name(q.text(1));
    auto def = soap::definition_from_json(nlohmann::json::parse(q.text(2)), db.file(),
                                          "/definitions/" + name);
    auto [it, added] = def_by_name.emplace(name, defs.size());
    if (added) {
      defs.push_back({q.int64(0), std::move(def)});
      def_by_db_id.emplace(q.int64(0), defs.size() - 1);
      cursors.emplace_back();
      ahead.emplace_back();
      buffered_due.emplace_back();
    } else {
      defs[it->second].def = std::move(def);
    }
  }
}

void sqlite_store::impl::write_behind() {
  collect();
  if (buffer.empty()) return;
  // Results that share state, next attempt and error (all of one message; all deliveries of a
  // flush) are one group, written as runs of consecutive sequences (sqlite_writer.cpp).
  std::vector<detail::result_group> groups;
  sqlite_detail::writing job{{}, std::move(buffered_due)};
  job.sequences.reserve(buffer.size());
  std::size_t i = 0;
  while (i < buffer.size()) {
    auto it = claimed.find(buffer[i].result.sequence);
    if (it == claimed.end()) {
      ++i;
      continue;
    }
    const buffered& b = buffer[i];
    const claim c = it->second;
    const bool delivered = b.result.to == state::delivered;
    detail::result_group g{.definition = defs[c.definition].db_id,
                           .prior = c.prior,
                           .to = b.result.to,
                           .next_attempt = us(b.result.next_attempt),
                           .error = delivered ? std::string() : errors[b.error]};
    // Consecutive sequences attempted at one instant extend the last run.
    auto add_row = [&g](const buffered& x) {
      const auto seq = static_cast<std::int64_t>(x.result.sequence);
      if (!g.runs.empty() && g.runs.back().last + 1 == seq && g.runs.back().at == x.at)
        g.runs.back().last = seq;
      else
        g.runs.push_back({seq, seq, x.at});
    };
    add_row(b);
    std::size_t j = i + 1;
    for (; j < buffer.size(); ++j) {
      const buffered& o = buffer[j];
      auto oc = claimed.find(o.result.sequence);
      if (oc == claimed.end() || oc->second.definition != c.definition ||
          oc->second.prior != c.prior || o.result.to != b.result.to ||
          (!delivered && errors[o.error] != errors[b.error]) ||
          o.result.next_attempt != b.result.next_attempt)
        break;
      add_row(o);
    }
    groups.push_back(std::move(g));
    i = j;
  }
  for (const auto& b : buffer) job.sequences.push_back(b.result.sequence);
  if (!writer) writer = std::make_unique<detail::sqlite_writer>(db.file());
  writer->submit(std::move(groups));
  in_writer.push_back(std::move(job));
  buffer.clear();
  errors.clear();
  buffered_due.assign(defs.size(), std::nullopt);
}

void sqlite_store::impl::collect(bool wait) {
  if (!writer) return;
  const std::uint64_t done = wait ? writer->wait() : writer->committed();
  for (; collected < done; ++collected) {
    const auto& job = in_writer.front();
    for (auto seq : job.sequences) claimed.erase(seq);
    in_writer.pop_front();
  }
}

notification sqlite_store::impl::read_row(const statement_use& row) const {
  notification n;
  n.sequence = static_cast<std::uint64_t>(row.int64(0));
  n.id = std::string(row.text(1));
  auto d = def_by_db_id.find(row.int64(2));
  if (d != def_by_db_id.end()) n.definition = defs[d->second].def.full_name;
  n.record_id = std::string(row.text(3));
  n.created = from_us(row.int64(4));
  n.status = state_from_string(row.text(5)).value_or(state::queued);
  n.attempts = static_cast<int>(row.int64(6));
  n.next_attempt = from_us(row.int64(7));
  n.last_error = std::string(row.text(8));
  if (auto v = row.optional_int64(9)) n.last_attempt = from_us(*v);
  if (auto v = row.optional_int64(10)) n.delivered_at = from_us(*v);
  if (claimed.count(n.sequence)) n.status = state::in_flight;
  return n;
}

std::optional<notification> sqlite_store::impl::row_of(std::string_view id) {
  auto seq = detail::sequence_of_id(id, soap::key_prefix::notification);
  if (!seq) return std::nullopt;
  statement_use q(db, "SELECT " + columns + " FROM notifications WHERE sequence = ?1");
  q.bind(1, static_cast<std::int64_t>(*seq));
  if (!q.step()) return std::nullopt;
  return read_row(q);
}

// A user operation on one notification, in its own transaction (flush() came first).
void sqlite_store::impl::change_state(const notification& n, state to,
                                      std::optional<time_point> next) {
  const std::size_t di = def_by_name.at(n.definition);
  const state on_disk = claimed.count(n.sequence) ? claimed[n.sequence].prior : n.status;
  detail::transaction tx(db);
  statement_use(db,
                "UPDATE notifications SET state = ?1, next_attempt = COALESCE(?2, next_attempt) "
                "WHERE sequence = ?3")
      .bind(1, to_string(to))
      .bind(2, next ? std::optional<std::int64_t>(us(*next)) : std::nullopt)
      .bind(3, static_cast<std::int64_t>(n.sequence))
      .run();
  count(defs[di].db_id, on_disk, to);
  apply_deltas();
  const std::int64_t revision = revise();
  tx.commit();
  revised(revision);
  claimed.erase(n.sequence);
  reset_cursor(di);
}

std::int64_t sqlite_store::impl::revise() {
  statement_use q(db, "UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value");
  return q.step() ? q.int64(0) : 0;
}

void sqlite_store::impl::notice_changes_elsewhere() {
  const auto read = [this](const std::string& sql) {
    statement_use q(db, sql);
    return q.step() ? q.int64(0) : 0;
  };
  const std::int64_t version = read("PRAGMA data_version");
  if (version == seen_data_version) return;
  seen_data_version = version;
  const std::int64_t revision = read("SELECT value FROM meta WHERE key = 'revision'");
  if (revision == seen_revision) return;
  seen_revision = revision;
  // From the start of the due index: a Retry elsewhere may have made a row due before the cursor.
  for (std::size_t di = 0; di < cursors.size(); ++di) reset_cursor(di);
  fresh.clear();
}

sqlite_store::sqlite_store(const std::filesystem::path& file, open_mode mode) {
  std::error_code ec;
  if (mode == open_mode::existing && !std::filesystem::exists(file, ec))
    throw input_error(file.string(), "",
                      "an existing store file (outbound send creates one; --store names it)");
  impl_ = std::make_unique<impl>(file, mode == open_mode::create);
  auto& db = impl_->db;
  // Whose file it is, read before anything is written to it.
  const auto kind = detail::identify_store(db, mode == open_mode::existing);
  // A new file gets 32 KiB pages (SQLite's default is 4 KiB): a queue is read and settled in
  // order, so larger pages mean fewer system calls and B-tree steps for the same rows (resuming a
  // million: a seventh of the reads and a sixth of the writes; docs/performance.md). page_size
  // only applies before the first table and the switch to WAL: a file that has them keeps its own.
  // WAL with synchronous=NORMAL: a commit survives kill -9 of the process; see docs/store.md.
  if (kind == detail::store_kind::empty) db.exec("PRAGMA page_size=32768");
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; " +
          std::string(detail::no_secure_delete));
  db.exec(schema);
  db.exec(
      fmt::format("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', {}), "
                  "('next_record_sequence', 1), ('revision', 0)",
                  schema_version));
  if (kind != detail::store_kind::current) detail::mark_store(db);
  {
    statement_use q(db, "SELECT value FROM meta WHERE key = 'next_record_sequence'");
    if (q.step()) impl_->next_record_sequence = static_cast<std::uint64_t>(q.int64(0));
  }
  {
    statement_use q(db, "SELECT COALESCE(max(sequence), 0) + 1 FROM notifications");
    if (q.step()) impl_->next_sequence = static_cast<std::uint64_t>(q.int64(0));
  }
  impl_->load_definitions();
  impl_->notice_changes_elsewhere();  // the revision this store starts from
}

sqlite_store::~sqlite_store() {
  try {
    impl_->flush();
  } catch (...) {
    // Unflushed results are only lost attempts: those notifications are sent again.
  }
}

void sqlite_store::put_definition(const soap::definition& d) {
  statement_use(
      impl_->db,
      "INSERT INTO definitions(full_name, object, body) VALUES (?1, ?2, ?3) "
      "ON CONFLICT(full_name) DO UPDATE SET object = excluded.object, body = excluded.body")
      .bind(1, d.full_name)
      .bind(2, d.object)
      .bind(3, dump_json(soap::to_json(d)))
      .run();
  impl_->load_definitions();
}

std::vector<soap::definition> sqlite_store::definitions() const {
  std::vector<soap::definition> out;
  for (const auto& e : impl_->defs) out.push_back(e.def);
  return out;
}

std::optional<record> sqlite_store::impl::read_record(std::string_view record_id) {
  statement_use q(db, "SELECT object, fields, deleted, last_modified FROM records WHERE id = ?1");
  q.bind(1, record_id);
  if (!q.step()) return std::nullopt;
  record r;
  r.id = std::string(record_id);
  r.object = std::string(q.text(0));
  r.fields = detail::decode_fields(q.text(1)).value_or(std::vector<soap::field_value>{});
  r.deleted = q.int64(2) != 0;
  r.last_modified = from_us(q.int64(3));
  return r;
}

std::optional<record> sqlite_store::find_record(std::string_view record_id) const {
  return impl_->read_record(record_id);
}

std::optional<notification> sqlite_store::find(std::string_view notification_id) const {
  impl_->flush();
  return impl_->row_of(notification_id);
}

void sqlite_store::flush() {
  impl_->flush();
}

void sqlite_store::write_behind() {
  impl_->write_behind();
}

}  // namespace outbound::sender
