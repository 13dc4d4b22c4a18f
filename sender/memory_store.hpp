#pragma once
// The store in memory, for virtual-time runs, tests and benchmarks: nothing survives the process,
// everything else behaves as sqlite_store. Due notifications sit in an ordered index by
// (next attempt, sequence) per definition, so taking a batch costs O(batch log n).
//   memory_store s;  s.put_definition(def);  s.accept(changes, now);

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sender/store.hpp"

namespace outbound::sender {

class memory_store final : public store {
 public:
  memory_store();
  ~memory_store() override;

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
  void flush() override {}
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
