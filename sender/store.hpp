#pragma once
// The sender's durable state behind one interface: the org's records, the outbound message
// definitions, and the notification queue with each notification's delivery state.
//   sqlite_store db("outbound.db");            // or memory_store for virtual time and benchmarks
//   db.put_definition(def);
//   auto r = db.accept(changes, clock.now());  // durable on return; r.notifications are queued
//   auto due = db.take_due("Notify_ERP", clock.now(), 100);  // marked in flight, latest values

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"

namespace outbound::sender {

// The file `outbound send/status/retry/delete/definitions` use when --store is not given.
inline constexpr std::string_view default_store_file = "outbound.db";

// A notification's life. in_flight lives only in memory: after a crash those notifications are
// still queued/retrying in the file and are sent again with the same id (at-least-once).
enum class state { queued, in_flight, retrying, delivered, failed, dropped, deleted };
inline constexpr std::size_t state_count = 7;
inline constexpr std::array<state, state_count> all_states{
    state::queued, state::in_flight, state::retrying, state::delivered,
    state::failed, state::dropped,   state::deleted};

std::string_view to_string(state s);  // "queued", "in_flight", "retrying", ...
std::optional<state> state_from_string(std::string_view text);
// queued and retrying: waiting for an attempt.
inline bool is_pending(state s) {
  return s == state::queued || s == state::retrying;
}

// A record of the org as the sender sees it. `fields` are the latest values, without Id.
struct record {
  std::string id{};      // 18 characters, the object's key prefix
  std::string object{};  // "Account"
  std::vector<soap::field_value> fields{};
  bool deleted = false;
  time_point last_modified{};
  friend bool operator==(const record&, const record&) = default;
};

struct notification {
  std::uint64_t sequence = 0;  // queue order; id == soap::make_id("04l", sequence)
  std::string id{};            // 04l...
  std::string definition{};    // the definition's full_name
  std::string record_id{};
  time_point created{};
  state status = state::queued;
  int attempts = 0;  // attempts finished so far
  time_point next_attempt{};
  std::string last_error{};  // the Delivery Failure Reason of the last failed attempt
  std::optional<time_point> last_attempt{};
  std::optional<time_point> delivered_at{};
  friend bool operator==(const notification&, const notification&) = default;
};

// What happens to a record. Each change fires the rule of every definition on the record's
// object: one notification per definition (a delete too: it sends only the Id).
enum class change_kind { create, update, remove };

struct record_change {
  change_kind kind = change_kind::create;
  std::string object{};     // create: the sObject type; ignored otherwise (the record's own)
  std::string record_id{};  // update/remove: the record; create: empty to have one assigned
  // create: the values; update: the values that change, merged by name (others are kept).
  std::vector<soap::field_value> fields{};
};

struct accept_result {
  std::vector<std::string> record_ids{};      // one per change, in order
  std::vector<notification> notifications{};  // the queued ones, in sequence order
};

// A due notification taken for an attempt, with its record's values at this moment: a snapshot
// shared with the store (a later change makes a new one), so taking a batch copies no values.
struct outgoing {
  notification item{};
  std::shared_ptr<const record> data{};  // null when the record is unknown
};

// A settlement: where one notification stands after an attempt, decided by the engine.
struct settlement {
  std::uint64_t sequence = 0;
  state to = state::delivered;  // delivered, retrying, failed or dropped
  time_point next_attempt{};    // when retrying
};

// What a user operation (Retry, Del on the status page) did.
enum class operation_result { done, unknown_id, not_allowed };

struct state_counts {
  std::array<std::uint64_t, state_count> n{};
  std::uint64_t& operator[](state s) { return n[static_cast<std::size_t>(s)]; }
  std::uint64_t operator[](state s) const { return n[static_cast<std::size_t>(s)]; }
  std::uint64_t total() const;
  friend bool operator==(const state_counts&, const state_counts&) = default;
};

class store {
 public:
  virtual ~store() = default;

  // Inserts or replaces (by full_name) a definition; the order of first insertion is kept.
  virtual void put_definition(const soap::definition& d) = 0;
  virtual std::vector<soap::definition> definitions() const = 0;

  // Applies the changes and queues their notifications in one transaction, durable on return.
  // A change to an object without definitions queues nothing. Throws outbound::input_error
  // ("store", "/changes/<i>/record_id", ...) for an update or remove of an unknown record or a
  // create with an id that exists; then nothing of the call is applied. Taken by value: a store
  // may keep a new record's values without copying them (pass a temporary, or std::move).
  virtual accept_result accept(std::vector<record_change> changes, time_point now) = 0;

  virtual std::optional<record> find_record(std::string_view record_id) const = 0;
  virtual std::optional<notification> find(std::string_view notification_id) const = 0;

  // Up to `limit` pending notifications of `definition` due at `now`, in (next_attempt,
  // sequence) order, each marked in flight and carrying its record's current values.
  virtual std::vector<outgoing> take_due(std::string_view definition, time_point now,
                                         std::size_t limit) = 0;
  // The earliest next attempt of a pending notification of `definition` that is not in flight.
  virtual std::optional<time_point> next_due(std::string_view definition) const = 0;
  // Settles an attempt of in-flight notifications: attempts+1, last attempt `at`, and the
  // settlement's state; `error` becomes the last error unless delivered. Deleted ones stay deleted.
  virtual void record_attempt(std::span<const settlement> settlements, time_point at,
                              std::string_view error) = 0;
  // Returns in-flight notifications to their pending state without counting an attempt.
  virtual void release(std::span<const std::uint64_t> sequences) = 0;
  // Makes buffered attempt results durable (group commit); accept() never needs it.
  virtual void flush() = 0;
  // Starts making them durable without waiting for it (the SQLite store commits on a thread of
  // its own); they count as in flight until then. By default the same as flush().
  virtual void write_behind() { flush(); }

  // The status page's Retry: due now. A failed one goes back to the queue as retrying.
  virtual operation_result retry_now(std::string_view notification_id, time_point now) = 0;
  // Every failed one, due now; returns how many.
  virtual std::size_t retry_failed(time_point now) = 0;
  // The status page's Del: deleted, never sent again (one in flight finishes, unrecorded).
  virtual operation_result remove(std::string_view notification_id) = 0;

  // Counts per state, of one definition or (empty) of all.
  virtual state_counts counts(std::string_view definition = {}) const = 0;
  // Visits notifications in any of `states`, in sequence order, at most `limit` of them.
  virtual void for_each(std::span<const state> states, std::size_t limit,
                        const std::function<void(const notification&)>& visit) const = 0;
};

}  // namespace outbound::sender
