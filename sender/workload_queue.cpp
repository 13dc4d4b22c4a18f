// Record ids come back from accept() with each chunk of creates; every chunk's ids are kept,
// since updates and deletes name records from all of them.
#include "sender/workload_queue.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "common/input_error.hpp"
#include "soap/sample_data.hpp"

namespace outbound::sender {
namespace {

// Applies changes in transactions of at most `chunk`, keeping the record id of every change.
class change_writer {
 public:
  change_writer(store& s, const outbound::clock& c, std::size_t chunk)
      : store_(s), clock_(c), chunk_(chunk == 0 ? 1 : chunk) {}

  void add(record_change c) {
    pending_.push_back(std::move(c));
    if (pending_.size() >= chunk_) flush();
  }
  void flush() {
    if (pending_.empty()) return;
    auto r = store_.accept(pending_, clock_.now());
    queued_ += r.notifications.size();
    for (auto& id : r.record_ids) record_ids_.push_back(std::move(id));
    pending_.clear();
  }
  // The ids of the changes so far, in order (flush() first); forgets them.
  std::vector<std::string> take_record_ids() { return std::exchange(record_ids_, {}); }
  std::uint64_t queued() const { return queued_; }

 private:
  store& store_;
  const outbound::clock& clock_;
  std::size_t chunk_;
  std::vector<record_change> pending_;
  std::vector<std::string> record_ids_;
  std::uint64_t queued_ = 0;
};

record_change one_field_update(const soap::definition& d, const std::string& id, random& rng) {
  std::vector<soap::field_value> change;
  if (!d.fields.empty()) {
    const auto& f = d.fields[rng.below(d.fields.size())];
    change.push_back({f.name, soap::sample_value(f, rng).value});
  }
  return {change_kind::update, {}, id, std::move(change)};
}

}  // namespace

void check_workload(const workload& w) {
  if (w.records > max_workload_records)
    throw input_error("--records", "",
                      fmt::format("at most {} (got {})", max_workload_records, w.records));
  if (w.updates > max_workload_records)
    throw input_error("--updates", "",
                      fmt::format("at most {} (got {})", max_workload_records, w.updates));
  if (w.deletes > w.records)
    throw input_error(
        "--deletes", "",
        fmt::format("at most as many deletes as --records ({}), got {}", w.records, w.deletes));
  if (w.updates > 0 && w.deletes >= w.records)
    throw input_error("--updates", "", "records left to update (--deletes < --records)");
}

std::uint64_t queue_workload(store& s, const soap::definition& d, const workload& w, random& rng,
                             const outbound::clock& clock, std::size_t chunk) {
  check_workload(w);
  change_writer writer(s, clock, chunk);
  for (std::uint64_t i = 0; i < w.records; ++i)
    writer.add({change_kind::create, d.object, {}, soap::sample_fields(d, rng)});
  writer.flush();
  const std::vector<std::string> ids = writer.take_record_ids();
  std::vector<bool> deleted(ids.size(), false);
  for (std::uint64_t k = 0; k < w.deletes; ++k) deleted[k * ids.size() / w.deletes] = true;
  for (std::uint64_t k = 0; k < w.updates; ++k) {
    std::size_t i = rng.below(ids.size());
    while (deleted[i]) i = (i + 1) % ids.size();
    writer.add(one_field_update(d, ids[i], rng));
  }
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (deleted[i]) writer.add({change_kind::remove, {}, ids[i], {}});
  writer.flush();
  return writer.queued();
}

}  // namespace outbound::sender
