#pragma once
// The mock endpoint's record of every notification it received: when each id first arrived, how
// often it was seen, what was answered, and per record the newest data (to count stale data).
// Compact: 12 bytes per notification id and 24 per record id in tables 64% to 80% full
// (key_table.hpp); the ids themselves (for an export, 28 bytes a notification) and records' field
// values are kept only when asked for.
//   ledger l(start, {.keep_record_data = true, .keep_ids = true});
//   l.record(msg, now, answer::ack());
//   l.contains("04l000000000001AAA"); l.times_seen(id); l.duplicates(); l.ids_at(0).record_id();

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "mock_endpoint/fault_kind.hpp"
#include "mock_endpoint/key_table.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"

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
  // The listener acked the notifications, whether or not the sender got the ack: an ack (on time
  // or late), or an ack lost on its way: the connection reset after the request was read
  // (reset_after_read), the ack cut short (truncated_body) or sent as another Content-Type
  // (wrong_content_type). A notification received again after that is a duplicate; one received
  // again after a nack, a fault or an error page is a retry.
  bool acks() const;
  friend bool operator==(const answer&, const answer&) = default;
};

struct notification_entry {
  time_point first_arrival;      // millisecond resolution
  std::uint32_t times_seen = 0;  // saturates at 65535
  answer last;                   // the answer to its latest delivery
  bool acked = false;            // at least one delivery was answered with an ack
  // Deliveries after the listener had acked it (answer::acks): duplicates; saturates at 2^32-1.
  std::uint32_t duplicates = 0;
};

struct record_entry {
  // SystemModstamp (else LastModifiedDate) of the newest data seen; none if never sent.
  std::optional<time_point> latest_modstamp;
  std::uint64_t data_hash = 0;  // hash_fields() of the newest data (by modstamp, else arrival)
  std::uint32_t stale = 0;      // deliveries that carried older data than seen before
};

struct ledger_options {
  // Also keep the field values of each record's newest data (costly for millions of records),
  // for at most record_data_limit records (the first ones to arrive).
  bool keep_record_data = false;
  std::size_t record_data_limit = static_cast<std::size_t>(-1);
  // Also keep each notification's id, record id and object (28 bytes more per notification with
  // valid Salesforce ids), so that the ledger can be listed: ids_at().
  bool keep_ids = false;
};

// A notification's ids as it first arrived. A copy keeps its characters: a valid id is unpacked
// into it, and only an id kept as text, and the object, are views into the ledger (valid until it
// changes).
class notification_ids {
 public:
  std::string_view id() const { return id_.view(); }
  std::string_view record_id() const { return record_id_.view(); }
  std::string_view object() const { return object_; }

 private:
  friend class ledger;
  struct shown_id {
    soap::id_buffer chars{};
    std::uint8_t size = 0;     // of `chars`, for an unpacked id
    std::string_view as_text;  // an id kept as text
    std::string_view view() const { return size ? std::string_view(chars.data(), size) : as_text; }
  };
  shown_id id_, record_id_;
  std::string_view object_;
};

// A record's newest field values as kept; views into the ledger, valid until it changes.
struct record_values {
  std::string_view id;  // as it first arrived
  const std::vector<soap::field_value>* fields = nullptr;
};

class ledger {
 public:
  explicit ledger(time_point epoch, ledger_options options = {});

  // Records every notification of a message that got `a`. Stale: the notification carries a
  // SystemModstamp (or LastModifiedDate) older than one already seen for the same record.
  void record(const soap::message& m, time_point arrival, answer a);
  // One notification; the building block of record(), also for tests and benchmarks. Returns
  // whether it brings its record new values: the record's first, or values whose hash differs
  // from the last ones kept, and not stale.
  bool record_notification(std::string_view notification_id, std::string_view record_id,
                           time_point arrival, answer a, std::optional<time_point> modstamp,
                           std::uint64_t data_hash, std::string_view object = {});

  bool contains(std::string_view notification_id) const;
  std::uint32_t times_seen(std::string_view notification_id) const;  // 0 if never seen
  std::optional<notification_entry> find(std::string_view notification_id) const;
  std::optional<record_entry> find_record(std::string_view record_id) const;
  // The newest field values of a record; only with keep_record_data.
  const std::vector<soap::field_value>* record_data(std::string_view record_id) const;

  // With keep_ids: the notifications in first-arrival order, ids_at(0) the first to arrive.
  std::size_t kept_ids() const { return id_rows_.size(); }
  notification_ids ids_at(std::size_t i) const;
  // With keep_record_data: the records whose values are kept, in first-arrival order, and how
  // many records arrived past record_data_limit (their values are not kept).
  std::size_t kept_records() const { return kept_.size(); }
  record_values kept_record_at(std::size_t i) const;
  // A record's first notification is never stale, so every record past the limit lacks them.
  std::uint64_t records_without_data() const {
    return options_.keep_record_data ? records() - kept_.size() : records();
  }
  bool keeps_ids() const { return options_.keep_ids; }
  bool keeps_record_data() const { return options_.keep_record_data; }

  std::uint64_t messages() const { return messages_; }            // messages recorded
  std::uint64_t notifications() const { return notifications_; }  // deliveries, repeats included
  std::uint64_t unique_notifications() const { return unique_; }  // distinct notification ids
  // Deliveries of a notification the listener had already acked (answer::acks): the ack was
  // late, lost or not taken, or the sender sent it again for another reason (a crash).
  std::uint64_t duplicates() const { return duplicates_; }
  // Deliveries of a notification received before but not yet acked: re-sends after a nack, a
  // SOAP fault, an error page... notifications = unique + retries + duplicates.
  std::uint64_t retries() const { return notifications_ - unique_ - duplicates_; }
  std::uint64_t acked_notifications() const { return acked_unique_; }  // distinct ids acked
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
  // A notification's slot: the first arrival (milliseconds since epoch_) and 9 bits: the latest
  // answer (5), whether it was ever acked, whether later deliveries are duplicates, and how often
  // it was seen (2: one to four times; past four, seen_more_ counts). 12 bytes a slot.
  using notification_table = key_table<std::uint32_t, 9>;
  struct record_value {
    std::int64_t modstamp_us = 0;  // no_modstamp: never sent
    std::uint64_t data_hash = 0;
  };
  // A count kept for a few keys only (stale records, duplicated notifications, notifications seen
  // more than four times).
  using counter_table = key_table<std::uint32_t>;

  // A kept notification's ids, 28 bytes: each a soap::packed_id, or when not a valid id (the mock
  // records what it rejects too), a place in id_blocks_ marked by packed_id::free_bit.
  struct kept_id {
    std::uint32_t high_word = 0, low_word = 0;  // packed_id::high; or the block and the offset
    std::uint32_t low = 0;                      // packed_id::low; or free_bit | the size
  };
  struct id_row {
    kept_id id, record_id;
    std::uint16_t object = 0;  // index into objects_
  };
  kept_id keep_id(std::string_view id);
  notification_ids::shown_id show(const kept_id& k) const;
  // Blocks of this size hold the characters of ids kept as text: memory grows by a block, not by
  // doubling.
  static constexpr std::size_t id_block_size = 1 << 20;
  struct kept_record {
    std::string id;
    std::vector<soap::field_value> fields;
  };
  void remember_ids(std::string_view notification_id, std::string_view record_id,
                    std::string_view object);

  time_point epoch_;
  ledger_options options_;
  notification_table notifications_table_;
  key_table<record_value> records_;
  std::vector<kept_record> kept_;                              // keep_record_data
  std::unordered_map<std::uint64_t, std::size_t> kept_index_;  // record key -> kept_ index
  // Flat tables like the two above: a node-based map was two cache misses per duplicate.
  counter_table stale_by_record_;   // only records with any
  counter_table duplicates_by_id_;  // only ids with any
  counter_table seen_more_;         // times seen, for ids seen more than four times
  std::deque<id_row> id_rows_;      // keep_ids; a deque grows by chunks, not by doubling
  std::vector<std::string> id_blocks_;
  std::vector<std::string> objects_;
  std::unordered_map<std::string, std::uint16_t> object_index_;
  std::uint64_t messages_ = 0, notifications_ = 0, unique_ = 0, acked_unique_ = 0, stale_ = 0,
                duplicates_ = 0;
};

}  // namespace outbound::mock_endpoint
