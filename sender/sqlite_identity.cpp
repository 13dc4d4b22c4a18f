// A store carries PRAGMA application_id 'OUTB' and meta.schema_version (docs/store.md). Only
// reads happen here: a refused file is never written.
#include "sender/sqlite_identity.hpp"

#include <fmt/format.h>

#include <set>
#include <string>

#include "common/input_error.hpp"
#include "sender/sqlite_store.hpp"

namespace outbound::sender::detail {
namespace {

std::int64_t read_int(sqlite_db& db, const std::string& sql) {
  statement_use q(db, sql);
  return q.step() ? q.int64(0) : 0;
}

std::set<std::string> table_names(sqlite_db& db) {
  std::set<std::string> names;
  statement_use q(db, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'");
  while (q.step()) names.emplace(q.text(0));
  return names;
}

[[noreturn]] void refuse(const sqlite_db& db, const std::string& why) {
  throw input_error(db.file(), "", "a store file made by outbound (" + why + ")");
}

// The first read of the file: a text file or a truncated copy is bad input, not a bug.
std::int64_t read_application_id(sqlite_db& db) {
  try {
    return read_int(db, "PRAGMA application_id");
  } catch (const input_error&) {
    throw;
  } catch (const std::runtime_error&) {
    refuse(db, "SQLite: " + db.last_error());
  }
}

void check_version(sqlite_db& db) {
  const auto names = table_names(db);
  if (!names.count("meta") || !names.count("notifications"))
    refuse(db, "it has outbound's application id but not its tables: damaged");
  const std::int64_t version = read_int(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (version > sqlite_store::schema_version)
    throw input_error(db.file(), "",
                      fmt::format("a store this outbound can read: it was made by a newer "
                                  "outbound (schema version {}; this one knows up to {})",
                                  version, sqlite_store::schema_version));
  if (version < 1)
    refuse(db, fmt::format("its schema version {} is not one outbound wrote", version));
}

std::string listed(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (out.size() > 60) return out + ", ...";
    out += (out.empty() ? "" : ", ") + n;
  }
  return out;
}

}  // namespace

store_kind identify_store(sqlite_db& db, bool must_exist) {
  const std::int64_t id = read_application_id(db);
  if (id == sqlite_store::application_id) {
    check_version(db);
    return store_kind::current;
  }
  if (id != 0)
    refuse(db, fmt::format("it is the SQLite database of another application: application_id "
                           "{:#010x}, outbound's is {:#010x}",
                           static_cast<std::uint32_t>(id), sqlite_store::application_id));
  const auto names = table_names(db);
  if (names.empty()) {
    if (must_exist) refuse(db, "it is an empty SQLite database");
    return store_kind::empty;
  }
  if (!names.count("meta") || !names.count("notifications"))
    refuse(db, "it is the SQLite database of another application, with tables " + listed(names));
  check_version(db);
  return store_kind::previous;
}

void mark_store(sqlite_db& db) {
  db.exec(fmt::format("PRAGMA application_id = {}", sqlite_store::application_id));
}

}  // namespace outbound::sender::detail
