// The store in memory: compact entries indexed by sequence, an ordered due index per definition,
// and counters per definition and state kept up to date on every change.
#include "sender/memory_store.hpp"

#include <unordered_set>

#include "common/input_error.hpp"
#include "sender/store_detail.hpp"
#include "soap/ids.hpp"

namespace outbound::sender {
namespace {

using due_key = std::pair<time_point, std::uint64_t>;  // (next attempt, sequence)

// 80-odd bytes per notification: ids and texts are derived or shared, not stored per entry.
struct entry {
  time_point created{};
  time_point next_attempt{};
  std::optional<time_point> last_attempt;
  std::optional<time_point> delivered_at;
  std::uint32_t definition = 0;
  std::uint32_t record = 0;
  std::uint32_t error = 0;  // index into errors; 0 is ""
  std::int32_t attempts = 0;
  state status = state::queued;
};

struct definition_slot {
  soap::definition def;
  std::set<due_key> due;  // pending and not in flight
  state_counts counts;
};

}  // namespace

struct memory_store::impl {
  std::vector<definition_slot> defs;
  // Immutable snapshots: a change replaces the record's snapshot, so batches taken earlier keep
  // the values they were sent with and taking a batch shares rather than copies.
  std::vector<std::shared_ptr<const record>> records;
  std::unordered_map<std::string, std::uint32_t> record_index;
  std::vector<entry> entries;  // entries[sequence - 1]
  std::vector<std::string> errors{""};
  std::unordered_map<std::string, std::uint32_t> error_index{{"", 0}};
  std::uint64_t next_record_sequence = 1;

  std::optional<std::uint32_t> def_of(std::string_view name) const {
    for (std::uint32_t i = 0; i < defs.size(); ++i)
      if (defs[i].def.full_name == name) return i;
    return std::nullopt;
  }

  entry* entry_of(std::string_view notification_id) {
    auto seq = detail::sequence_of_id(notification_id, soap::key_prefix::notification);
    if (!seq || *seq == 0 || *seq > entries.size()) return nullptr;
    return &entries[*seq - 1];
  }
  std::uint64_t sequence_of(const entry& e) const { return &e - entries.data() + 1; }

  void set_state(entry& e, state to) {
    auto& c = defs[e.definition].counts;
    --c[e.status];
    ++c[to];
    e.status = to;
  }
  void make_due(entry& e) { defs[e.definition].due.insert({e.next_attempt, sequence_of(e)}); }
  void unmake_due(entry& e) { defs[e.definition].due.erase({e.next_attempt, sequence_of(e)}); }

  std::uint32_t intern(std::string_view error) {
    auto it = error_index.find(std::string(error));
    if (it != error_index.end()) return it->second;
    errors.emplace_back(error);
    auto index = static_cast<std::uint32_t>(errors.size() - 1);
    error_index.emplace(errors.back(), index);
    return index;
  }

  notification materialize(const entry& e) const {
    notification n;
    n.sequence = sequence_of(e);
    n.id = soap::make_id(soap::key_prefix::notification, n.sequence);
    n.definition = defs[e.definition].def.full_name;
    n.record_id = records[e.record]->id;
    n.created = e.created;
    n.status = e.status;
    n.attempts = e.attempts;
    n.next_attempt = e.next_attempt;
    n.last_error = errors[e.error];
    n.last_attempt = e.last_attempt;
    n.delivered_at = e.delivered_at;
    return n;
  }

  void validate(std::span<const record_change> changes) const;
};

// Checks every change before any is applied, so that a bad one leaves the store untouched.
void memory_store::impl::validate(std::span<const record_change> changes) const {
  std::unordered_set<std::string> created, removed;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto& c = changes[i];
    const std::string where = "/changes/" + std::to_string(i);
    const bool known = record_index.count(c.record_id) || created.count(c.record_id);
    if (c.kind == change_kind::create) {
      if (c.object.empty()) throw input_error("store", where + "/object", "an sObject type");
      if (!c.record_id.empty() && known)
        throw input_error("store", where + "/record_id", "a new record id, not " + c.record_id);
      if (!c.record_id.empty()) created.insert(c.record_id);
      continue;
    }
    if (!known)
      throw input_error("store", where + "/record_id", "a known record id: " + c.record_id);
    auto it = record_index.find(c.record_id);
    bool deleted =
        removed.count(c.record_id) || (it != record_index.end() && records[it->second]->deleted);
    if (deleted)
      throw input_error("store", where + "/record_id",
                        "a record that is not deleted: " + c.record_id);
    if (c.kind == change_kind::remove) removed.insert(c.record_id);
  }
}

memory_store::memory_store() : impl_(std::make_unique<impl>()) {}
memory_store::~memory_store() = default;

void memory_store::put_definition(const soap::definition& d) {
  if (auto i = impl_->def_of(d.full_name)) {
    impl_->defs[*i].def = d;
    return;
  }
  impl_->defs.push_back({d, {}, {}});
}

std::vector<soap::definition> memory_store::definitions() const {
  std::vector<soap::definition> out;
  for (const auto& s : impl_->defs) out.push_back(s.def);
  return out;
}

accept_result memory_store::accept(std::vector<record_change> changes, time_point now) {
  auto& m = *impl_;
  m.validate(changes);
  accept_result result;
  result.record_ids.reserve(changes.size());
  for (auto& c : changes) {
    std::uint32_t ri = 0;
    if (c.kind == change_kind::create) {
      auto r = std::make_shared<record>();
      r->object = c.object;
      r->id = c.record_id.empty()
                  ? soap::make_id(soap::key_prefix_for(c.object), m.next_record_sequence++)
                  : c.record_id;
      r->fields = std::move(c.fields);
      r->last_modified = now;
      ri = static_cast<std::uint32_t>(m.records.size());
      m.record_index.emplace(r->id, ri);
      m.records.push_back(std::move(r));
    } else {
      ri = m.record_index.at(c.record_id);
      auto r = std::make_shared<record>(*m.records[ri]);
      if (c.kind == change_kind::update)
        detail::merge_fields(r->fields, c.fields);
      else
        r->deleted = true;
      r->last_modified = now;
      m.records[ri] = std::move(r);
    }
    const record& r = *m.records[ri];
    result.record_ids.push_back(r.id);
    for (std::uint32_t di = 0; di < m.defs.size(); ++di) {
      if (m.defs[di].def.object != r.object) continue;
      entry e;
      e.created = now;
      e.next_attempt = now;
      e.definition = di;
      e.record = ri;
      m.entries.push_back(e);
      ++m.defs[di].counts[state::queued];
      m.make_due(m.entries.back());
      result.notifications.push_back(m.materialize(m.entries.back()));
    }
  }
  return result;
}

std::optional<record> memory_store::find_record(std::string_view record_id) const {
  auto it = impl_->record_index.find(std::string(record_id));
  if (it == impl_->record_index.end()) return std::nullopt;
  return *impl_->records[it->second];
}

std::optional<notification> memory_store::find(std::string_view notification_id) const {
  const entry* e = impl_->entry_of(notification_id);
  if (!e) return std::nullopt;
  return impl_->materialize(*e);
}

std::vector<outgoing> memory_store::take_due(std::string_view definition, time_point now,
                                             std::size_t limit) {
  auto& m = *impl_;
  std::vector<outgoing> out;
  auto di = m.def_of(definition);
  if (!di) return out;
  auto& slot = m.defs[*di];
  while (out.size() < limit && !slot.due.empty() && slot.due.begin()->first <= now) {
    std::uint64_t seq = slot.due.begin()->second;
    slot.due.erase(slot.due.begin());
    entry& e = m.entries[seq - 1];
    m.set_state(e, state::in_flight);
    out.push_back({m.materialize(e), m.records[e.record]});
  }
  return out;
}

std::optional<time_point> memory_store::next_due(std::string_view definition) const {
  auto di = impl_->def_of(definition);
  if (!di || impl_->defs[*di].due.empty()) return std::nullopt;
  return impl_->defs[*di].due.begin()->first;
}

void memory_store::record_attempt(std::span<const settlement> settlements, time_point at,
                                  std::string_view error) {
  auto& m = *impl_;
  const std::uint32_t error_id = m.intern(error);
  for (const auto& o : settlements) {
    if (o.sequence == 0 || o.sequence > m.entries.size()) continue;
    entry& e = m.entries[o.sequence - 1];
    if (e.status == state::deleted) continue;
    if (is_pending(e.status)) m.unmake_due(e);
    ++e.attempts;
    e.last_attempt = at;
    if (o.to == state::delivered)
      e.delivered_at = at;
    else
      e.error = error_id;
    m.set_state(e, o.to);
    if (o.to == state::retrying) {
      e.next_attempt = o.next_attempt;
      m.make_due(e);
    }
  }
}

void memory_store::release(std::span<const std::uint64_t> sequences) {
  auto& m = *impl_;
  for (auto seq : sequences) {
    if (seq == 0 || seq > m.entries.size()) continue;
    entry& e = m.entries[seq - 1];
    if (e.status != state::in_flight) continue;
    m.set_state(e, detail::pending_state(e.attempts));
    m.make_due(e);
  }
}

operation_result memory_store::retry_now(std::string_view notification_id, time_point now) {
  auto& m = *impl_;
  entry* e = m.entry_of(notification_id);
  if (!e) return operation_result::unknown_id;
  if (!is_pending(e->status) && e->status != state::failed) return operation_result::not_allowed;
  if (is_pending(e->status)) m.unmake_due(*e);
  e->next_attempt = now;
  m.set_state(*e, detail::pending_state(e->attempts));
  m.make_due(*e);
  return operation_result::done;
}

std::size_t memory_store::retry_failed(time_point now) {
  auto& m = *impl_;
  std::size_t n = 0;
  for (auto& e : m.entries) {
    if (e.status != state::failed) continue;
    e.next_attempt = now;
    m.set_state(e, detail::pending_state(e.attempts));
    m.make_due(e);
    ++n;
  }
  return n;
}

operation_result memory_store::remove(std::string_view notification_id) {
  auto& m = *impl_;
  entry* e = m.entry_of(notification_id);
  if (!e) return operation_result::unknown_id;
  if (is_pending(e->status))
    m.unmake_due(*e);
  else if (e->status != state::failed && e->status != state::in_flight)
    return operation_result::not_allowed;
  m.set_state(*e, state::deleted);
  return operation_result::done;
}

state_counts memory_store::counts(std::string_view definition) const {
  state_counts total;
  for (const auto& s : impl_->defs) {
    if (!definition.empty() && s.def.full_name != definition) continue;
    for (std::size_t i = 0; i < state_count; ++i) total.n[i] += s.counts.n[i];
  }
  return total;
}

void memory_store::for_each(std::span<const state> states, std::size_t limit,
                            const std::function<void(const notification&)>& visit) const {
  std::size_t n = 0;
  for (const auto& e : impl_->entries) {
    if (n >= limit) return;
    if (std::find(states.begin(), states.end(), e.status) == states.end()) continue;
    visit(impl_->materialize(e));
    ++n;
  }
}

}  // namespace outbound::sender
