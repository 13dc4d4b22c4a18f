#include "mock_endpoint/ledger.hpp"

#include <gtest/gtest.h>

#include "soap/ids.hpp"
#include "tests/mock_endpoint/helpers.hpp"

namespace outbound::mock_endpoint {
namespace {

using testing::account_message;
using testing::t0;

TEST(ledger, counts_messages_duplicates_and_first_arrival) {
  ledger l(t0());
  l.record(account_message(3, 1), t0() + std::chrono::seconds(1),
           answer::injected(fault_kind::nack));
  l.record(account_message(2, 3), t0() + std::chrono::seconds(5), answer::ack());
  EXPECT_EQ(l.messages(), 2u);
  EXPECT_EQ(l.notifications(), 5u);
  EXPECT_EQ(l.unique_notifications(), 4u);
  EXPECT_EQ(l.retries(), 1u);     // the third, nacked and then sent again, is a retry...
  EXPECT_EQ(l.duplicates(), 0u);  // ...not a duplicate: the listener had not acked it
  EXPECT_EQ(l.acked_notifications(), 2u);

  const std::string third = soap::make_id("04l", 3);
  EXPECT_TRUE(l.contains(third));
  EXPECT_EQ(l.times_seen(third), 2u);
  const auto e = l.find(third);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->first_arrival, t0() + std::chrono::seconds(1));
  EXPECT_EQ(e->last, answer::ack());
  EXPECT_TRUE(e->acked);
  EXPECT_EQ(l.find(soap::make_id("04l", 1))->last.name(), "nack");
  EXPECT_FALSE(l.find(soap::make_id("04l", 1))->acked);
  EXPECT_FALSE(l.contains(soap::make_id("04l", 99)));
  EXPECT_EQ(l.times_seen(soap::make_id("04l", 99)), 0u);
}

// Duplicates are notifications received again after the listener had acked them; re-sends after
// a failure are retries.
TEST(ledger, tells_duplicates_after_an_ack_from_retries_after_a_failure) {
  ledger l(t0());
  const auto at = [](int s) { return t0() + std::chrono::seconds(s); };
  const auto one = [](std::uint64_t id) { return account_message(1, id); };
  // 1: nacked, then sent again and acked: one retry.
  l.record(one(1), at(1), answer::injected(fault_kind::nack));
  l.record(one(1), at(2), answer::ack());
  // 2: read, then the connection reset before the ack went out (the ack lost to a reset), then
  // sent again: a duplicate.
  l.record(one(2), at(1), answer::injected(fault_kind::reset_after_read));
  l.record(one(2), at(2), answer::ack());
  // 3: acked (too late for the sender), sent again and answered with a SOAP fault, then again:
  // two duplicates, since the listener had acked it before both.
  l.record(one(3), at(1), answer::ack());
  l.record(one(3), at(2), answer::injected(fault_kind::soap_fault));
  l.record(one(3), at(3), answer::ack());
  // 4: an HTTP 503 twice, then acked: two retries.
  for (int s : {1, 2}) l.record(one(4), at(s), answer::injected(fault_kind::http_status));
  l.record(one(4), at(3), answer::ack());
  EXPECT_EQ(l.notifications(), 10u);
  EXPECT_EQ(l.unique_notifications(), 4u);
  EXPECT_EQ(l.retries(), 3u);
  EXPECT_EQ(l.duplicates(), 3u);
  EXPECT_EQ(l.find(soap::make_id("04l", 1))->duplicates, 0u);
  EXPECT_EQ(l.find(soap::make_id("04l", 2))->duplicates, 1u);
  EXPECT_EQ(l.find(soap::make_id("04l", 3))->duplicates, 2u);
  EXPECT_EQ(l.find(soap::make_id("04l", 4))->duplicates, 0u);
  // An ack cut short or sent as another Content-Type is an ack the listener gave, too.
  EXPECT_TRUE(answer::injected(fault_kind::truncated_body).acks());
  EXPECT_TRUE(answer::injected(fault_kind::wrong_content_type).acks());
  EXPECT_FALSE(answer::injected(fault_kind::not_an_ack).acks());
  EXPECT_FALSE(answer::rejected().acks());
  l.clear();
  EXPECT_EQ(l.duplicates(), 0u);
  EXPECT_EQ(l.retries(), 0u);
}

TEST(ledger, fifteen_and_eighteen_character_ids_are_one_id) {
  ledger l(t0());
  const std::string id18 = soap::make_id("04l", 77);
  l.record_notification(id18.substr(0, 15), "001000000000001", t0(), answer::ack(), {}, 1);
  EXPECT_TRUE(l.contains(id18));
  EXPECT_EQ(ledger::key_of(id18), ledger::key_of(id18.substr(0, 15)));
  EXPECT_NE(ledger::key_of("04l000000000001"), ledger::key_of("04l000000000002"));
  EXPECT_NE(ledger::key_of("04l00000000000a"), ledger::key_of("04l00000000000A"));  // case matters
}

TEST(ledger, counts_older_data_after_newer_as_stale) {
  ledger l(t0(), {.keep_record_data = true});
  l.record(account_message(1, 1, "2026-01-05T10:00:00.000Z"), t0(), answer::ack());
  l.record(account_message(1, 1, "2026-01-05T09:00:00.000Z"), t0(), answer::ack());  // older
  l.record(account_message(1, 1, "2026-01-05T10:00:00.000Z"), t0(), answer::ack());  // same
  EXPECT_EQ(l.stale(), 1u);
  const auto r = l.find_record(soap::make_id("001", 1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->latest_modstamp, parse_timestamp("2026-01-05T10:00:00Z"));
  ASSERT_NE(l.record_data(soap::make_id("001", 1)), nullptr);
  EXPECT_EQ(r->data_hash, ledger::hash_fields(*l.record_data(soap::make_id("001", 1))));

  // LastModifiedDate counts when there is no SystemModstamp; no date: never stale.
  soap::message m = account_message(1, 2);
  m.notifications[0].object.fields.push_back({"LastModifiedDate", "2026-01-05T10:00:00Z"});
  l.record(m, t0(), answer::ack());
  m.notifications[0].object.fields.back().value = "2026-01-04T10:00:00Z";
  l.record(m, t0(), answer::ack());
  l.record(account_message(1, 3), t0(), answer::ack());
  l.record(account_message(1, 3), t0(), answer::ack());
  EXPECT_EQ(l.stale(), 2u);
  EXPECT_EQ(l.records(), 3u);
}

TEST(ledger, keeps_ids_in_first_arrival_order_when_asked) {
  ledger compact(t0());
  compact.record(account_message(2), t0(), answer::ack());
  EXPECT_EQ(compact.kept_ids(), 0u);
  EXPECT_FALSE(compact.keeps_ids());

  ledger l(t0(), {.keep_ids = true});
  l.record(account_message(2, 5), t0(), answer::ack());
  soap::message contact = account_message(1, 3);
  contact.notifications[0].object.type = "Contact";
  l.record(contact, t0(), answer::rejected());
  l.record(account_message(2, 5), t0(), answer::ack());  // repeats: no new rows
  ASSERT_EQ(l.kept_ids(), 3u);
  EXPECT_EQ(l.ids_at(0).id(), soap::make_id("04l", 5));
  EXPECT_EQ(l.ids_at(0).record_id(), soap::make_id("001", 5));
  EXPECT_EQ(l.ids_at(0).object(), "Account");
  EXPECT_EQ(l.ids_at(1).id(), soap::make_id("04l", 6));
  EXPECT_EQ(l.ids_at(2).id(), soap::make_id("04l", 3));
  EXPECT_EQ(l.ids_at(2).object(), "Contact");
  EXPECT_GT(l.memory_bytes(), compact.memory_bytes());
  l.clear();
  EXPECT_EQ(l.kept_ids(), 0u);
}

TEST(ledger, keeps_the_newest_values_of_at_most_a_limit_of_records) {
  ledger l(t0(), {.keep_record_data = true, .record_data_limit = 2});
  l.record(account_message(3, 1, "2026-01-05T10:00:00Z"), t0(), answer::ack());
  EXPECT_EQ(l.kept_records(), 2u);
  EXPECT_EQ(l.records_without_data(), 1u);
  EXPECT_EQ(l.kept_record_at(0).id, soap::make_id("001", 1));
  EXPECT_NE(l.record_data(soap::make_id("001", 2)), nullptr);
  EXPECT_EQ(l.record_data(soap::make_id("001", 3)), nullptr);  // past the limit

  // Newer data replaces the values; older data is stale, counted per record, and does not.
  soap::message newer = account_message(1, 1, "2026-01-05T11:00:00Z");
  newer.notifications[0].object.fields[0].value = "Acme renamed";
  l.record(newer, t0(), answer::ack());
  l.record(account_message(1, 1, "2026-01-05T10:30:00Z"), t0(), answer::ack());
  EXPECT_EQ((*l.record_data(soap::make_id("001", 1)))[0].value, "Acme renamed");
  EXPECT_EQ(l.find_record(soap::make_id("001", 1))->stale, 1u);
  EXPECT_EQ(l.find_record(soap::make_id("001", 2))->stale, 0u);
  // 15 characters find what 18 stored.
  EXPECT_NE(l.record_data(soap::make_id("001", 1).substr(0, 15)), nullptr);
}

// Values are copied when they change only; whatever the order, the newest ones are kept.
TEST(ledger, keeps_the_newest_values_when_they_come_back) {
  ledger l(t0(), {.keep_record_data = true});
  soap::message m = account_message(1);
  EXPECT_TRUE(l.record_notification(m.notifications[0].id, m.notifications[0].object.id, t0(),
                                    answer::ack(), {}, 1));
  EXPECT_FALSE(l.record_notification(m.notifications[0].id, m.notifications[0].object.id, t0(),
                                     answer::ack(), {}, 1));  // the same values again
  ledger kept(t0(), {.keep_record_data = true});
  for (const char* name : {"A", "A", "B", "B", "A"}) {
    m.notifications[0].object.fields[0].value = name;
    kept.record(m, t0(), answer::ack());
    EXPECT_EQ((*kept.record_data(soap::make_id("001", 1)))[0].value, name);
  }
}

TEST(ledger, clear_forgets_everything) {
  ledger l(t0());
  l.record(account_message(10), t0(), answer::ack());
  l.clear();
  EXPECT_EQ(l.notifications(), 0u);
  EXPECT_FALSE(l.contains(soap::make_id("04l", 1)));
  l.record(account_message(1), t0(), answer::ack());
  EXPECT_EQ(l.unique_notifications(), 1u);
}

// A slot counts one to four deliveries; past that a side table counts them, up to 65535.
TEST(ledger, counts_every_delivery_of_a_notification_up_to_65535) {
  ledger l(t0());
  const std::string id = soap::make_id("04l", 1);
  const std::string other = soap::make_id("04l", 2);
  for (std::uint32_t n = 1; n <= 70'000; ++n) {
    l.record_notification(id, "001000000000001", t0(), answer::ack(), {}, 0);
    if (n <= 7 || n == 65'535 || n == 70'000) {
      EXPECT_EQ(l.times_seen(id), std::min<std::uint32_t>(n, 65'535)) << n;
      EXPECT_EQ(l.find(id)->duplicates, n - 1);
    }
    if (n <= 6) l.record_notification(other, "001000000000001", t0(), answer::rejected(), {}, 0);
  }
  EXPECT_EQ(l.times_seen(other), 6u);
  EXPECT_EQ(l.find(other)->last, answer::rejected());
  EXPECT_EQ(l.find(id)->last, answer::ack());
  EXPECT_EQ(l.duplicates(), 69'999u);
  EXPECT_EQ(l.retries(), 5u);
}

// The memory budget: 10 million notifications (over a million records) in about 200 MB. The ids
// are made arithmetically (not by make_id) to keep it fast; the unoptimised sanitizer build checks
// a tenth of it against the same bytes-per-notification bound.
#ifdef __SANITIZE_ADDRESS__
constexpr std::uint64_t count = 1'000'000;
#else
constexpr std::uint64_t count = 10'000'000;
#endif

TEST(ledger, holds_ten_million_notifications_in_about_two_hundred_megabytes) {
  ledger l(t0());
  std::string id = "04l000000000000";
  std::string record = "001000000000000";
  auto put_base62 = [](std::string& s, std::uint64_t v) {
    static constexpr char digits[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (std::size_t i = s.size(); i-- > 3; v /= 62) s[i] = digits[v % 62];
  };
  for (std::uint64_t i = 0; i < count; ++i) {
    put_base62(id, i);
    put_base62(record, i % 1'000'000);  // ten updates per record
    l.record_notification(id, record, t0(), answer::ack(), {}, i);
  }
  EXPECT_EQ(l.unique_notifications(), count);
  EXPECT_EQ(l.records(), std::min<std::uint64_t>(count, 1'000'000));
  EXPECT_TRUE(l.contains("04l000000000000"));
  // Tables at least 64% full: at most 19 bytes per notification and 38 per record (228 MB
  // here, 202 MB in fact: 319 MB with the 16-byte slots in power-of-two tables before).
  EXPECT_LT(l.memory_bytes(), count * 19 + l.records() * 38 + (2 << 20));
  EXPECT_GT(l.memory_bytes(), count * 12);  // it does count the table
  RecordProperty("ledger_bytes", std::to_string(l.memory_bytes()));
}

// What `outbound mock` pays for the export: each notification's id and record id packed in 12
// bytes each (the 18-character form is a bit), and an object index: 28 bytes per notification.
TEST(ledger, keeping_ids_costs_twenty_eight_bytes_more_per_notification) {
  constexpr std::uint64_t n = 1'000'000;
  ledger compact(t0());
  ledger with_ids(t0(), {.keep_record_data = false, .record_data_limit = 0, .keep_ids = true});
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::string id = soap::make_id("04l", i + 1);
    const std::string record = soap::make_id("001", i % 100'000 + 1);
    compact.record_notification(id, record, t0(), answer::ack(), {}, i, "Account");
    with_ids.record_notification(id, record, t0(), answer::ack(), {}, i, "Account");
  }
  const double extra = double(with_ids.memory_bytes() - compact.memory_bytes()) / n;
  EXPECT_GE(extra, 28);      // it does count the rows
  EXPECT_LT(extra, 28 + 1);  // grown by chunks, not by doubling
  EXPECT_EQ(with_ids.ids_at(n - 1).id(), soap::make_id("04l", n));
  RecordProperty("extra_bytes_per_notification", std::to_string(extra));
}

// Ids come back exactly as they arrived: packed when valid (15 or 18 characters, any case), as
// text otherwise (an 18-character id with a wrong suffix, other lengths, other characters).
TEST(ledger, gives_back_every_id_as_it_arrived) {
  const std::vector<std::string> ids = {
      "001000000000001",  "001000000000001AAA",
      "a0Xzzzzzzzzzzzz",  "a0Xzzzzzzzzzzzz" + soap::id_checksum("a0Xzzzzzzzzzzzz"),
      "ZZZZZZZZZZZZZZZ",  "001000000000001AAB",
      "00100000000000",   "",
      "001-00000000001",  std::string(70'000, 'x'),
      "0010000000000011", "é01000000000001"};
  ledger l(t0(), {.keep_ids = true});
  for (std::size_t i = 0; i < ids.size(); ++i)
    l.record_notification(soap::make_id("04l", i + 1), ids[i], t0(), answer::ack(), {}, i,
                          "Account");
  l.record_notification("not an id", "001000000000001", t0(), answer::rejected(), {}, 0, "Lead");
  ASSERT_EQ(l.kept_ids(), ids.size() + 1);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const notification_ids kept = l.ids_at(i);
    EXPECT_EQ(kept.id(), soap::make_id("04l", i + 1)) << i;
    // A kept id longer than 65535 characters keeps its first 65535.
    EXPECT_EQ(kept.record_id(), std::string_view(ids[i]).substr(0, 65535)) << i;
  }
  const notification_ids copy = [&] { return l.ids_at(ids.size()); }();  // its characters move too
  EXPECT_EQ(copy.id(), "not an id");
  EXPECT_EQ(copy.record_id(), "001000000000001");
  EXPECT_EQ(copy.object(), "Lead");
}

}  // namespace
}  // namespace outbound::mock_endpoint
