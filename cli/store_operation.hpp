#pragma once
// What `outbound retry/delete` share: turning the store's answer to Retry or Del into the exit
// code or an input error naming the store and id.

#include <fmt/format.h>

#include <string>

#include "common/input_error.hpp"
#include "sender/sqlite_store.hpp"

namespace outbound::cli {

// Returns 0 after printing "<id> <what>" when the operation was done; throws input_error otherwise.
inline int report_operation(sender::sqlite_store& db, const std::string& store,
                            const std::string& id, sender::operation_result result,
                            const std::string& what) {
  switch (result) {
    case sender::operation_result::done:
      fmt::print("{} {}\n", id, what);
      return 0;
    case sender::operation_result::unknown_id:
      throw input_error(store, id, "the id of a notification in this store");
    case sender::operation_result::not_allowed:
      break;
  }
  throw input_error(store, id,
                    "a queued, retrying or failed notification (it is " +
                        std::string(to_string(db.find(id)->status)) + ")");
}

}  // namespace outbound::cli
