#pragma once
// A hash table for keys that are already well-mixed 64-bit hashes, laid out to hold tens of
// millions of small entries. A key's home slot is the key scaled to the capacity
// (key * capacity / 2^64), so the capacity need not be a power of two: the table grows by a
// quarter, not by double. Keys with one home lie within 2^64 / capacity of each other, so from
// min_capacity on they differ in their low bits, and a slot keeps only those: 8 bytes and the
// value, with `SpareBits` of the 8 left to the caller.
//   key_table<std::uint32_t, 9> t;
//   bool added = false;
//   auto& s = t.insert(key, added);  // found or made
//   s.value = 7;
//   s.set_spare(5);
//   if (const auto* f = t.find(key)) use(f->value, f->spare());

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "mock_endpoint/huge_page_allocator.hpp"

namespace outbound::mock_endpoint {

template <class Value, unsigned SpareBits = 0>
class key_table {
  // Robin Hood linear probing: entries are kept in the order of their home slots, so a search
  // stops at the first entry nearer its home than the key would be, and an insertion shifts the
  // rest of its run by one slot. A distance takes 7 bits; an insertion that would carry one past
  // `max_distance` grows the table instead (a quarter more slots move every home), or when the
  // table is less than half full, keeps the key aside in `crowded_`.
  static constexpr unsigned distance_bits = 7;
  static constexpr std::uint32_t max_distance = (1u << distance_bits) - 1;  // 0 marks an empty slot
  static constexpr unsigned low_shift = SpareBits + distance_bits;  // the key's bits kept above
  static_assert(low_shift <= 20, "a slot keeps at least 44 bits of its key");
  __extension__ using wide = unsigned __int128;

 public:
  // Two keys with one home differ in their low 64 - low_shift bits from this capacity on.
  static constexpr std::uint64_t min_capacity = std::uint64_t{1} << low_shift;

  class slot {
   public:
    Value value{};
    std::uint32_t spare() const { return low_ & spare_mask; }
    void set_spare(std::uint32_t bits) { low_ = (low_ & ~spare_mask) | (bits & spare_mask); }

   private:
    friend class key_table;
    static constexpr std::uint32_t spare_mask = (std::uint32_t{1} << SpareBits) - 1;
    // The head in two 32-bit halves, so that a 4-byte value makes a 12-byte slot: the key's low
    // bits above low_shift, then the distance from home plus one (0: empty), then the spare bits.
    std::uint32_t low_ = 0, high_ = 0;

    std::uint32_t distance() const { return low_ >> SpareBits & max_distance; }
    std::uint64_t key_bits() const { return (std::uint64_t{high_} << 32 | low_) >> low_shift; }
    void set_distance(std::uint32_t d) {
      low_ = (low_ & ~(max_distance << SpareBits)) | d << SpareBits;
    }
    void set_head(std::uint64_t key, std::uint32_t d) {
      const std::uint64_t head = key << low_shift | std::uint64_t{d} << SpareBits;
      low_ = static_cast<std::uint32_t>(head);
      high_ = static_cast<std::uint32_t>(head >> 32);
    }
  };
  static_assert(std::is_trivially_copyable_v<Value>, "slots are shifted as bytes");
  using slot_array = std::vector<slot, huge_page_allocator<slot>>;

  const slot* find(std::uint64_t key) const {
    if (capacity_ != 0) {
      const std::uint64_t bits = key_bits(key);
      const slot* s = &slots_[home(key)];
      // The tail past the capacity holds max_distance slots, so the loop ends inside the array.
      for (std::uint32_t d = 1;; ++d, ++s) {
        const std::uint32_t at = s->distance();
        if (at < d) break;  // empty, or nearer its home than `key` would be
        if (at == d && s->key_bits() == bits) return s;
      }
    }
    if (crowded_.empty()) return nullptr;
    const auto it = crowded_.find(key);
    return it == crowded_.end() ? nullptr : &it->second;
  }
  slot* find(std::uint64_t key) {
    return const_cast<slot*>(static_cast<const key_table*>(this)->find(key));
  }

  // The slot of `key`, made (value-initialised, spare bits 0) if absent. The reference is valid
  // until the next insertion.
  slot& insert(std::uint64_t key, bool& inserted) {
    if (!crowded_.empty()) {
      if (const auto it = crowded_.find(key); it != crowded_.end()) {
        inserted = false;
        return it->second;
      }
    }
    if ((size_ + 1) * 5 > capacity_ * 4) grow();  // at most 80% full
    for (;;) {
      if (slot* s = place(key, inserted)) return *s;
      // More than max_distance keys share a few homes. Random keys do not (growing at 80% full
      // never meets it in tens of millions), chosen ones might: they wait aside rather than make
      // the table grow without end.
      if (size_ * 2 < capacity_) return crowd(key, inserted);
      grow();
    }
  }
  slot& insert(std::uint64_t key) {
    bool ignored = false;
    return insert(key, ignored);
  }

  std::size_t size() const { return size_ + crowded_.size(); }
  std::size_t memory_bytes() const {
    return slots_.capacity() * sizeof(slot) + crowded_.size() * (sizeof(slot) + 32);
  }
  void clear() {
    slots_ = slot_array();
    crowded_ = {};
    capacity_ = size_ = 0;
  }

 private:
  std::size_t home(std::uint64_t key) const {
    return static_cast<std::size_t>(wide{key} * capacity_ >> 64);
  }
  static std::uint64_t key_bits(std::uint64_t key) { return key << low_shift >> low_shift; }
  // The key with low bits `bits` among those at home `h` of `capacity` homes: the first of them
  // is ceil(h * 2^64 / capacity), and they span less than 2^(64 - low_shift).
  static std::uint64_t key_at(std::uint64_t capacity, std::size_t h, std::uint64_t bits) {
    const auto first = static_cast<std::uint64_t>(((wide{h} << 64) + capacity - 1) / capacity);
    return first + key_bits(bits - first);
  }

  // The slot of `key`, or nullptr when making it would carry an entry past max_distance or past
  // the end of the array.
  slot* place(std::uint64_t key, bool& inserted) {
    const std::uint64_t bits = key_bits(key);
    std::size_t i = home(key);
    std::uint32_t d = 1;
    for (;; ++d, ++i) {
      const std::uint32_t at = slots_[i].distance();
      if (at < d) break;
      if (at == d && slots_[i].key_bits() == bits) {
        inserted = false;
        return &slots_[i];
      }
    }
    if (d > max_distance) return nullptr;
    std::size_t end = i;  // the run from i moves one slot on, up to the first empty slot
    for (; end < slots_.size() && slots_[end].distance() != 0; ++end) {
      if (slots_[end].distance() == max_distance) return nullptr;
    }
    if (end == slots_.size()) return nullptr;
    std::copy_backward(slots_.begin() + i, slots_.begin() + end, slots_.begin() + end + 1);
    for (std::size_t j = i + 1; j <= end; ++j) slots_[j].set_distance(slots_[j].distance() + 1);
    slots_[i] = slot{};
    slots_[i].set_head(bits, d);
    ++size_;
    inserted = true;
    return &slots_[i];
  }

  slot& crowd(std::uint64_t key, bool& inserted) {
    inserted = true;
    return crowded_[key];
  }

  // A quarter more homes. Homes grow with keys, so the old slots are read in nearly the order of
  // the new ones.
  void grow() {
    const slot_array old = std::move(slots_);
    const std::uint64_t old_capacity = capacity_;
    capacity_ = std::max(min_capacity, capacity_ + capacity_ / 4);
    slots_ = slot_array(capacity_ + max_distance);
    size_ = 0;
    for (std::size_t i = 0; i < old.size(); ++i) {
      const slot& o = old[i];
      if (o.distance() == 0) continue;
      const std::uint64_t key = key_at(old_capacity, i + 1 - o.distance(), o.key_bits());
      bool inserted = false;
      slot* s = place(key, inserted);
      if (s == nullptr) s = &crowd(key, inserted);
      s->value = o.value;
      s->set_spare(o.spare());
    }
  }

  slot_array slots_;  // capacity_ homes and max_distance more for the runs that spill
  std::uint64_t capacity_ = 0;
  std::size_t size_ = 0;                             // in slots_
  std::unordered_map<std::uint64_t, slot> crowded_;  // by whole key
};

}  // namespace outbound::mock_endpoint
