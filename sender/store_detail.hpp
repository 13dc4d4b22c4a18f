#pragma once
// Helpers shared by memory_store and sqlite_store (internal to sender/): merging record values,
// the sObject sent for a definition, and the compact JSON text of a record's values in SQLite.
//   merge_fields(rec.fields, change.fields);
//   field_views(def, &rec, views);  // the definition's fields, none if deleted

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sender/store.hpp"

namespace outbound::sender::detail {

// Values in `changes` replace those of the same name in `fields`; new names are appended.
void merge_fields(std::vector<soap::field_value>& fields,
                  std::span<const soap::field_value> changes);

// The fields one notification of `d` about `r` (nullptr: unknown record) sends, as views into
// both: the definition's fields in its order, nil where the record has no value; none for a
// deleted record (only its Id is sent). Replaces the contents of `out`.
void field_views(const soap::definition& d, const record* r, std::vector<soap::field_view>& out);

// {"Name":"Acme","Phone":null}: readable in the sqlite3 shell and fast to read back.
std::string encode_fields(std::span<const soap::field_value> fields);
// nullopt when `text` is not what encode_fields writes (a hand-edited or corrupt row).
std::optional<std::vector<soap::field_value>> decode_fields(std::string_view text);
// The same into `fields`, whose strings keep their memory for the values that replace theirs;
// false (and `fields` unspecified) when `text` is not what encode_fields writes.
bool decode_fields_into(std::string_view text, std::vector<soap::field_value>& fields);

// The sequence behind an id made by soap::make_id(prefix, sequence), checked by remaking it.
std::optional<std::uint64_t> sequence_of_id(std::string_view id, std::string_view prefix);

// The "pending" state a notification has when not in flight: queued before any attempt.
inline state pending_state(int attempts) {
  return attempts == 0 ? state::queued : state::retrying;
}

}  // namespace outbound::sender::detail
