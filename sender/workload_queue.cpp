// Record ids come back from accept() with each chunk of creates; every chunk's ids are kept,
// since updates and deletes name records from all of them.
#include "sender/workload_queue.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/input_error.hpp"
#include "soap/sample_data.hpp"

namespace outbound::sender {
namespace {

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

workload_feed::workload_feed(const soap::definition& d, const workload& w, random& rng,
                             std::size_t chunk)
    : definition_(d), sample_(d), work_(w), rng_(rng), chunk_(chunk == 0 ? 1 : chunk) {
  check_workload(w);
  ids_.reserve(w.records);
}

bool workload_feed::done() const {
  return created_ == work_.records && updated_ == work_.updates && deletes_made_ == work_.deletes;
}

void workload_feed::accepted(const accept_result& r) {
  // Only creates add ids, and a chunk of creates holds nothing else.
  if (ids_.size() < created_) ids_.insert(ids_.end(), r.record_ids.begin(), r.record_ids.end());
}

std::vector<record_change> workload_feed::next() {
  std::vector<record_change> out;
  // Creates first, in chunks of their own: the updates and deletes that follow name their ids.
  if (created_ < work_.records) {
    while (out.size() < chunk_ && created_ < work_.records) {
      out.push_back({change_kind::create, definition_.object, {}, sample_(rng_)});
      ++created_;
    }
    return out;
  }
  if (done()) return out;
  if (ids_.size() != created_)
    throw std::logic_error("workload_feed: accepted() was not given every chunk of creates");
  if (deleted_.empty() && work_.deletes > 0) {
    deleted_.assign(ids_.size(), false);
    for (std::uint64_t k = 0; k < work_.deletes; ++k)
      deleted_[k * ids_.size() / work_.deletes] = true;
  }
  // Then the updates of random live records, then the deletes spread evenly over them.
  while (out.size() < chunk_ && updated_ < work_.updates) {
    std::size_t i = rng_.below(ids_.size());
    while (!deleted_.empty() && deleted_[i]) i = (i + 1) % ids_.size();
    out.push_back(one_field_update(definition_, ids_[i], rng_));
    ++updated_;
  }
  while (out.size() < chunk_ && deletes_made_ < work_.deletes) {
    while (!deleted_[next_delete_]) ++next_delete_;
    out.push_back({change_kind::remove, {}, ids_[next_delete_++], {}});
    ++deletes_made_;
  }
  return out;
}

std::uint64_t queue_workload(store& s, const soap::definition& d, const workload& w, random& rng,
                             const outbound::clock& clock, std::size_t chunk) {
  workload_feed feed(d, w, rng, chunk);
  std::uint64_t queued = 0;
  for (auto changes = feed.next(); !changes.empty(); changes = feed.next()) {
    const auto r = s.accept(std::move(changes), clock.now());
    queued += r.notifications.size();
    feed.accepted(r);
  }
  return queued;
}

}  // namespace outbound::sender
