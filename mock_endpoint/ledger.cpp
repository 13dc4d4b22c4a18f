#include "mock_endpoint/ledger.hpp"

#include <algorithm>
#include <limits>

namespace outbound::mock_endpoint {
namespace {

constexpr std::int64_t no_modstamp = std::numeric_limits<std::int64_t>::min();
// A notification slot's spare bits: the answer's code, two flags, and how often it was seen.
constexpr std::uint32_t answer_mask = 0x1f;
constexpr std::uint32_t answer_ack = 31;
constexpr std::uint32_t answer_rejected = 30;
static_assert(fault_kind_count <= answer_rejected, "a fault kind's code is its index");
constexpr std::uint32_t acked_flag = 1u << 5;  // answered with an ack
constexpr std::uint32_t acks_flag = 1u << 6;   // answer::acks(): later deliveries are duplicates
constexpr unsigned seen_shift = 7;             // times seen - 1, up to 3: four times or more
constexpr std::uint32_t seen_often = 3;        // past four times, seen_more_ counts

std::uint64_t mix(
    std::uint64_t x) {  // splitmix64's finaliser: every input bit moves every output bit
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint32_t encode(answer a) {
  switch (a.what) {
    case answer::kind::ack:
      return answer_ack;
    case answer::kind::rejected:
      return answer_rejected;
    case answer::kind::fault:
      return static_cast<std::uint32_t>(a.fault);
  }
  return answer_ack;
}

answer decode(std::uint32_t code) {
  if (code == answer_ack) return answer::ack();
  if (code == answer_rejected) return answer::rejected();
  return answer::injected(static_cast<fault_kind>(code));
}

}  // namespace

std::string_view answer::name() const {
  switch (what) {
    case kind::ack:
      return "ack";
    case kind::rejected:
      return "rejected";
    case kind::fault:
      return to_string(fault);
  }
  return "ack";
}

bool answer::acks() const {
  if (what == kind::ack) return true;
  if (what == kind::rejected) return false;
  return fault == fault_kind::reset_after_read || fault == fault_kind::truncated_body ||
         fault == fault_kind::wrong_content_type;
}

ledger::ledger(time_point epoch, ledger_options options) : epoch_(epoch), options_(options) {}

std::uint64_t ledger::key_of(std::string_view id) {
  // A 15-character id (or the first 15 of an 18-character one) packs into 90 bits exactly;
  // the key is a 64-bit mix of them, so distinct ids collide with odds of about n^2 / 2^65.
  std::uint64_t key = 0;
  bool packed = id.size() == 15 || id.size() == 18;
  if (packed) {
    std::uint64_t hi = 0, lo = 0;
    for (std::size_t i = 0; i < id.size() && packed; ++i) {
      const int v = soap::base62_digit(id[i]);
      if (v < 0) packed = false;
      if (i < 10)
        hi = hi << 6 | static_cast<std::uint64_t>(v);
      else if (i < 15)
        lo = lo << 6 | static_cast<std::uint64_t>(v);
    }
    key = mix(hi ^ mix(lo + 0x9e3779b97f4a7c15ULL));
  }
  if (!packed) key = mix(fnv1a(id) ^ 0x5bd1e9955bd1e995ULL);
  return key == 0 ? 1 : key;
}

std::uint64_t ledger::hash_fields(const std::vector<soap::field_value>& fields) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& f : fields) {
    // Byte by byte: for names and values this short, a call to the standard hash costs more.
    h = fnv1a(f.name, h);
    h = fnv1a(f.value ? std::string_view("=") : std::string_view("~"), h);
    if (f.value) h = fnv1a(*f.value, h);
    h = fnv1a(std::string_view("\n", 1), h);
  }
  return mix(h);
}

std::optional<time_point> ledger::modstamp_of(const soap::sobject& o) {
  // Views, so that each field's name is compared by length first (a const char* would be
  // measured with strlen for every field).
  for (const std::string_view name : {"SystemModstamp", "LastModifiedDate"}) {
    for (const auto& f : o.fields) {
      if (f.name == name && f.value) {
        if (auto t = parse_timestamp(*f.value)) return t;
      }
    }
  }
  return std::nullopt;
}

void ledger::record(const soap::message& m, time_point arrival, answer a) {
  ++messages_;
  for (const auto& n : m.notifications) {
    const auto stamp = modstamp_of(n.object);
    const auto hash = hash_fields(n.object.fields);
    // Values seen before are not copied again (a copy per notification was a tenth of the
    // mock's time with ten thousand records: each record's kept values are a cache miss).
    const bool new_values =
        record_notification(n.id, n.object.id, arrival, a, stamp, hash, n.object.type);
    if (!options_.keep_record_data || !new_values) continue;
    const std::uint64_t key = key_of(n.object.id);
    if (auto it = kept_index_.find(key); it != kept_index_.end()) {
      kept_[it->second].fields = n.object.fields;
    } else if (kept_.size() < options_.record_data_limit) {
      kept_index_.emplace(key, kept_.size());
      kept_.push_back({n.object.id, n.object.fields});
    }
  }
}

ledger::kept_id ledger::keep_id(std::string_view id) {
  if (const auto p = soap::pack_id(id)) {
    return {static_cast<std::uint32_t>(p->high >> 32), static_cast<std::uint32_t>(p->high), p->low};
  }
  id = id.substr(0, std::numeric_limits<std::uint16_t>::max());
  if (id_blocks_.empty() || id_blocks_.back().size() + id.size() > id_blocks_.back().capacity()) {
    id_blocks_.emplace_back();
    id_blocks_.back().reserve(std::max(id_block_size, id.size()));
  }
  std::string& block = id_blocks_.back();
  const kept_id k{static_cast<std::uint32_t>(id_blocks_.size() - 1),
                  static_cast<std::uint32_t>(block.size()),
                  soap::packed_id::free_bit | static_cast<std::uint32_t>(id.size())};
  block.append(id);
  return k;
}

notification_ids::shown_id ledger::show(const kept_id& k) const {
  notification_ids::shown_id shown;
  if (k.low & soap::packed_id::free_bit) {
    shown.as_text = std::string_view(id_blocks_[k.high_word])
                        .substr(k.low_word, k.low & ~soap::packed_id::free_bit);
  } else {
    const soap::packed_id p{std::uint64_t{k.high_word} << 32 | k.low_word, k.low};
    shown.size = static_cast<std::uint8_t>(soap::unpack_id(p, shown.chars).size());
  }
  return shown;
}

void ledger::remember_ids(std::string_view notification_id, std::string_view record_id,
                          std::string_view object) {
  constexpr std::size_t most = std::numeric_limits<std::uint16_t>::max();
  auto [it, added] = object_index_.try_emplace(std::string(object.substr(0, most)),
                                               static_cast<std::uint16_t>(objects_.size()));
  if (added) {
    if (objects_.size() == most) {  // 65535 object types: the rest share the last name
      object_index_.erase(it);
      it = object_index_.find(objects_.back());
    } else {
      objects_.emplace_back(it->first);
    }
  }
  id_rows_.push_back({keep_id(notification_id), keep_id(record_id), it->second});
}

notification_ids ledger::ids_at(std::size_t i) const {
  const id_row& r = id_rows_.at(i);
  notification_ids ids;
  ids.id_ = show(r.id);
  ids.record_id_ = show(r.record_id);
  ids.object_ = objects_[r.object];
  return ids;
}

record_values ledger::kept_record_at(std::size_t i) const {
  const kept_record& k = kept_.at(i);
  return {k.id, &k.fields};
}

bool ledger::record_notification(std::string_view notification_id, std::string_view record_id,
                                 time_point arrival, answer a, std::optional<time_point> modstamp,
                                 std::uint64_t data_hash, std::string_view object) {
  ++notifications_;
  bool inserted = false;
  const std::uint64_t key = key_of(notification_id);
  auto& n = notifications_table_.insert(key, inserted);
  std::uint32_t flags = n.spare() & (acked_flag | acks_flag);
  std::uint32_t seen = n.spare() >> seen_shift;
  if (inserted) {
    ++unique_;
    if (options_.keep_ids) remember_ids(notification_id, record_id, object);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(arrival - epoch_).count();
    n.value = static_cast<std::uint32_t>(
        std::clamp<std::int64_t>(ms, 0, std::numeric_limits<std::uint32_t>::max()));
  } else if (seen < seen_often) {
    ++seen;
  } else {
    bool first = false;
    auto& count = seen_more_.insert(key, first).value;
    if (first) count = seen_often + 1;  // the fifth delivery finds the four before it
    if (count < std::numeric_limits<std::uint16_t>::max()) ++count;
  }
  // Received again after the listener had acked it: a duplicate (else, when seen before, a
  // retry after a failure).
  if (!inserted && (flags & acks_flag)) {
    ++duplicates_;
    auto& d = duplicates_by_id_.insert(key).value;
    if (d < std::numeric_limits<std::uint32_t>::max()) ++d;
  }
  if (a.acks()) flags |= acks_flag;
  if (a.what == answer::kind::ack && !(flags & acked_flag)) {
    flags |= acked_flag;
    ++acked_unique_;
  }
  n.set_spare(encode(a) | flags | seen << seen_shift);

  const std::uint64_t record_key = key_of(record_id);
  auto& r = records_.insert(record_key, inserted).value;
  if (inserted) r.modstamp_us = no_modstamp;
  if (modstamp) {
    const std::int64_t us = modstamp->time_since_epoch().count();
    if (r.modstamp_us != no_modstamp && us < r.modstamp_us) {
      ++stale_;
      ++stale_by_record_.insert(record_key).value;
      return false;
    }
    r.modstamp_us = us;
  }
  const bool new_values = inserted || r.data_hash != data_hash;
  r.data_hash = data_hash;
  return new_values;
}

bool ledger::contains(std::string_view id) const {
  return notifications_table_.find(key_of(id)) != nullptr;
}

std::uint32_t ledger::times_seen(std::string_view id) const {
  const auto e = find(id);
  return e ? e->times_seen : 0;
}

std::optional<notification_entry> ledger::find(std::string_view id) const {
  const std::uint64_t key = key_of(id);
  const auto* n = notifications_table_.find(key);
  if (!n) return std::nullopt;
  const std::uint32_t bits = n->spare();
  notification_entry e{epoch_ + std::chrono::milliseconds(n->value), (bits >> seen_shift) + 1,
                       decode(bits & answer_mask), (bits & acked_flag) != 0};
  if ((bits >> seen_shift) == seen_often) {
    if (const auto* more = seen_more_.find(key)) e.times_seen = more->value;
  }
  if (const auto* d = duplicates_by_id_.find(key)) e.duplicates = d->value;
  return e;
}

std::optional<record_entry> ledger::find_record(std::string_view record_id) const {
  const std::uint64_t key = key_of(record_id);
  const auto* r = records_.find(key);
  if (!r) return std::nullopt;
  record_entry e;
  if (r->value.modstamp_us != no_modstamp) {
    e.latest_modstamp = time_point(duration(r->value.modstamp_us));
  }
  e.data_hash = r->value.data_hash;
  if (const auto* s = stale_by_record_.find(key)) e.stale = s->value;
  return e;
}

const std::vector<soap::field_value>* ledger::record_data(std::string_view record_id) const {
  auto it = kept_index_.find(key_of(record_id));
  return it == kept_index_.end() ? nullptr : &kept_[it->second].fields;
}

std::size_t ledger::memory_bytes() const {
  std::size_t data = kept_.capacity() * sizeof(kept_record) + kept_index_.size() * 32 +
                     stale_by_record_.memory_bytes() + duplicates_by_id_.memory_bytes() +
                     seen_more_.memory_bytes();
  for (const auto& k : kept_) {
    data += k.id.capacity() + k.fields.capacity() * sizeof(soap::field_value);
    for (const auto& f : k.fields) data += f.name.capacity() + (f.value ? f.value->capacity() : 0);
  }
  std::size_t ids = id_rows_.size() * sizeof(id_row) + id_blocks_.capacity() * sizeof(std::string);
  for (const auto& b : id_blocks_) ids += b.capacity();
  return sizeof(*this) + notifications_table_.memory_bytes() + records_.memory_bytes() + data + ids;
}

void ledger::clear() {
  notifications_table_.clear();
  records_.clear();
  kept_ = {};
  kept_index_ = {};
  stale_by_record_.clear();
  duplicates_by_id_.clear();
  seen_more_.clear();
  id_rows_ = {};
  id_blocks_ = {};
  objects_ = {};
  object_index_ = {};
  messages_ = notifications_ = unique_ = acked_unique_ = stale_ = duplicates_ = 0;
}

}  // namespace outbound::mock_endpoint
