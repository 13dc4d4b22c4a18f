#pragma once
// A store opened read-only, for commands that look without touching it (`outbound mock-ctl
// verify`): the same identity checks as sqlite_store (another program's file, a newer schema, a
// damaged or empty one is an input_error naming it, exit 2), and nothing is ever written, not even
// the application id of an older store.
//   store_reader r("outbound.db");
//   r.for_each_notified_record({}, [&](const record& rec) { ... });  // every definition

#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sender/store.hpp"

namespace outbound::sender {

class store_reader {
 public:
  // Throws input_error for a missing file and for anything sqlite_store would refuse.
  explicit store_reader(const std::filesystem::path& file);
  ~store_reader();
  store_reader(const store_reader&) = delete;
  store_reader& operator=(const store_reader&) = delete;

  // The definitions' full names, in the order they were first stored.
  std::vector<std::string> definition_names() const;
  // Every record that has a notification of one of `definitions` (all of them when empty), in
  // id order, with its current values. Throws input_error for a name the store does not have.
  void for_each_notified_record(std::span<const std::string> definitions,
                                const std::function<void(const record&)>& visit) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The fields of `received` (what a listener got for record `r`, Id aside) whose values are not
// r's current ones: empty when the listener holds the newest values.
std::vector<std::string> fields_not_newest(const record& r,
                                           std::span<const soap::field_value> received);

}  // namespace outbound::sender
