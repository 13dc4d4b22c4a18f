#pragma once
// The mock endpoint's record of every notification it received: when each id first arrived, how
// often it was seen, what was answered, and per record the newest data (to count stale data).
// Compact: 16 bytes per notification id and 24 per record id in flat open-addressing tables.
//   ledger l(start);
//   l.record(msg, now, answer::ack());
//   l.contains("04l000000000001AAA"); l.times_seen(id); l.duplicates();

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "mock_endpoint/fault_kind.hpp"
#include "soap/envelope.hpp"

namespace outbound::mock_endpoint {

// What a message got back, as the ledger keeps it.
struct answer {
  enum class kind : std::uint8_t {
    ack,       // 200 with Ack true (possibly delayed or paced)
    rejected,  // the request was invalid: 500 with a SOAP Fault
    fault,     // an injected fault decided the answer: see `fault`
  };
  kind what = kind::ack;
  fault_kind fault = fault_kind::http_status;  // meaningful for kind::fault

  static answer ack() { return {}; }
  static answer rejected() { return {kind::rejected, fault_kind::http_status}; }
  static answer injected(fault_kind k) { return {kind::fault, k}; }
  // "ack", "rejected", or the fault kind's name ("http_status", "reset_after_read", ...)
  std::string_view name() const;
  friend bool operator==(const answer&, const answer&) = default;
};

struct notification_entry {
  time_point first_arrival;      // millisecond resolution
  std::uint32_t times_seen = 0;  // saturates at 65535
  answer last;                   // the answer to its latest delivery
  bool acked = false;            // at least one delivery was answered with an ack
};

struct record_entry {
  // SystemModstamp (else LastModifiedDate) of the newest data seen; none if never sent.
  std::optional<time_point> latest_modstamp;
  std::uint64_t data_hash = 0;  // hash_fields() of the newest data (by modstamp, else arrival)
};

struct ledger_options {
  // Also keep the field values of each record's newest data (costly for millions of records).
  bool keep_record_data = false;
};

class ledger {
 public:
  explicit ledger(time_point epoch, ledger_options options = {});

  // Records every notification of a message that got `a`. Stale: the notification carries a
  // SystemModstamp (or LastModifiedDate) older than one already seen for the same record.
  void record(const soap::message& m, time_point arrival, answer a);
  // One notification; the building block of record(), also for tests and benchmarks.
  void record_notification(std::string_view notification_id, std::string_view record_id,
                           time_point arrival, answer a, std::optional<time_point> modstamp,
                           std::uint64_t data_hash);

  bool contains(std::string_view notification_id) const;
  std::uint32_t times_seen(std::string_view notification_id) const;  // 0 if never seen
  std::optional<notification_entry> find(std::string_view notification_id) const;
  std::optional<record_entry> find_record(std::string_view record_id) const;
  // The newest field values of a record; only with keep_record_data.
  const std::vector<soap::field_value>* record_data(std::string_view record_id) const;

  std::uint64_t messages() const { return messages_; }            // messages recorded
  std::uint64_t notifications() const { return notifications_; }  // deliveries, duplicates included
  std::uint64_t unique_notifications() const { return unique_; }  // distinct notification ids
  std::uint64_t duplicates() const { return notifications_ - unique_; }  // repeated deliveries
  std::uint64_t acked_notifications() const { return acked_unique_; }    // distinct ids acked
  std::uint64_t stale() const { return stale_; }  // deliveries of data older than seen before
  std::uint64_t records() const { return records_.size(); }  // distinct record ids

  // Bytes held by the tables (their capacity), for the memory budget.
  std::size_t memory_bytes() const;
  void clear();

  // The hash the ledger keeps of a record's data: every field name and value, in order.
  static std::uint64_t hash_fields(const std::vector<soap::field_value>& fields);
  // SystemModstamp or LastModifiedDate, when present and a valid dateTime.
  static std::optional<time_point> modstamp_of(const soap::sobject& o);
  // The 64-bit key of an id: 15- and 18-character forms of one id give the same key.
  static std::uint64_t key_of(std::string_view id);

 private:
  struct notification_slot {
    std::uint64_t key = 0;         // 0: empty
    std::uint32_t arrival_ms = 0;  // since epoch_
    std::uint16_t times_seen = 0;
    std::uint8_t answer = 0;  // encoded answer
    std::uint8_t acked = 0;
  };
  struct record_slot {
    std::uint64_t key = 0;
    std::int64_t modstamp_us = 0;  // 0 with has_modstamp false: never sent
    std::uint64_t data_hash = 0;
  };
  template <class Slot>
  class table {
   public:
    Slot* find(std::uint64_t key);
    const Slot* find(std::uint64_t key) const;
    Slot& insert(std::uint64_t key, bool& inserted);
    std::size_t size() const { return size_; }
    std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }
    void clear();

   private:
    void grow();
    std::vector<Slot> slots_;
    std::size_t size_ = 0;
  };

  time_point epoch_;
  ledger_options options_;
  table<notification_slot> notifications_table_;
  table<record_slot> records_;
  std::unordered_map<std::uint64_t, std::vector<soap::field_value>> record_data_;
  std::uint64_t messages_ = 0, notifications_ = 0, unique_ = 0, acked_unique_ = 0, stale_ = 0;
};

}  // namespace outbound::mock_endpoint
