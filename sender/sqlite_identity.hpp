#pragma once
// Whose SQLite file is this (internal to sender/): read before sqlite_store writes anything, so
// that another program's database, a store from a newer outbound or a corrupt file is refused
// with an input_error naming the file and left byte-identical.
//   auto kind = detail::identify_store(db, /*must_exist=*/true);  // throws input_error if foreign
//   ... create the schema ...;  detail::mark_store(db);           // sets PRAGMA application_id

#include <cstdint>

#include "sender/sqlite_db.hpp"

namespace outbound::sender::detail {

enum class store_kind {
  empty,     // no tables yet: a new file, to be made a store
  current,   // made by this outbound (our application_id)
  previous,  // our tables without an application_id: made before it was set; adopted
};

// Reads the header and the table list; throws input_error for anything but a store this
// outbound can use (and, with `must_exist`, for an empty file).
store_kind identify_store(sqlite_db& db, bool must_exist);

// Stamps the file as a store of this schema version (after the schema exists).
void mark_store(sqlite_db& db);

}  // namespace outbound::sender::detail
