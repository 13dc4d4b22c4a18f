#pragma once
// The durable store: one SQLite file in WAL mode (schema in docs/store.md, readable with the
// sqlite3 shell). accept() commits before it returns; attempt results are buffered and written
// in one transaction per flush() (group commit), or by write_behind() on a writer thread with a
// connection of its own, while delivery goes on. The queue is never loaded whole: due rows are
// read in pages from an index on (definition, next attempt, sequence) of pending rows.
//   sqlite_store db("outbound.db");                         // creates the file when missing
//   sqlite_store ro("outbound.db", sqlite_store::open_mode::existing);  // throws if missing

#include <cstdint>
#include <filesystem>
#include <memory>

#include "sender/store.hpp"

namespace outbound::sender {

class sqlite_store final : public store {
 public:
  enum class open_mode {
    create,    // create the file and schema when missing
    existing,  // the file must exist: input_error(file, "", "an existing store file") otherwise
  };
  // PRAGMA application_id of every store: 'OUTB' in ASCII (docs/store.md).
  static constexpr std::int64_t application_id = 0x4F555442;
  // meta.schema_version this outbound writes; a store with a higher one is refused.
  static constexpr std::int64_t schema_version = 1;

  // Throws input_error naming the file, before writing anything, for a file that is not a store
  // of this outbound: another application's database, a newer schema, a damaged file.
  explicit sqlite_store(const std::filesystem::path& file, open_mode mode = open_mode::create);
  ~sqlite_store() override;  // flushes
  sqlite_store(const sqlite_store&) = delete;
  sqlite_store& operator=(const sqlite_store&) = delete;

  void put_definition(const soap::definition& d) override;
  std::vector<soap::definition> definitions() const override;
  accept_result accept(std::vector<record_change> changes, time_point now) override;
  std::optional<record> find_record(std::string_view record_id) const override;
  std::optional<notification> find(std::string_view notification_id) const override;
  std::vector<outgoing> take_due(std::string_view definition, time_point now,
                                 std::size_t limit) override;
  std::optional<time_point> next_due(std::string_view definition) const override;
  void record_attempt(std::span<const settlement> settlements, time_point at,
                      std::string_view error) override;
  void release(std::span<const std::uint64_t> sequences) override;
  void flush() override;
  void write_behind() override;
  operation_result retry_now(std::string_view notification_id, time_point now) override;
  std::size_t retry_failed(time_point now) override;
  operation_result remove(std::string_view notification_id) override;
  state_counts counts(std::string_view definition = {}) const override;
  void for_each(std::span<const state> states, std::size_t limit,
                const std::function<void(const notification&)>& visit) const override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace outbound::sender
