#pragma once
// The behaviour every store shares, as a typed test suite: memory_store_test.cpp and
// sqlite_store_test.cpp instantiate it with a factory that makes a fresh store.
//   struct memory_factory { std::unique_ptr<store> make() { ... } };
//   INSTANTIATE_TYPED_TEST_SUITE_P(memory, store_contract, ::testing::Types<memory_factory>);

#include <gtest/gtest.h>

#include <memory>

#include "common/input_error.hpp"
#include "sender/store.hpp"
#include "sender/store_detail.hpp"
#include "soap/ids.hpp"

namespace outbound::sender::testing {

using namespace std::chrono_literals;

inline const time_point t0 = *parse_timestamp("2026-01-05T09:00:00Z");

inline soap::definition account_definition(std::string full_name = "Notify_ERP",
                                           bool dead_letter = true) {
  soap::definition d;
  d.full_name = full_name;
  d.name = "Notify ERP";
  d.object = "Account";
  d.fields = {{"BillingCity", soap::field_type::string}, {"Name", soap::field_type::string}};
  d.endpoint_url = "http://127.0.0.1:8080/erp";
  d.use_dead_letter_queue = dead_letter;
  d.organization_id = soap::make_id("00D", 1);
  d.action_id = soap::make_id("04k", 1);
  return d;
}

// The sObject a notification of `d` about `r` sends (field_views, with owned values to compare).
inline soap::sobject make_sobject(const soap::definition& d, const record* r,
                                  std::string_view record_id) {
  std::vector<soap::field_view> views;
  detail::field_views(d, r, views);
  soap::sobject o{d.object, std::string(record_id), {}};
  for (const auto& v : views)
    o.fields.push_back(
        {std::string(v.name), v.value ? std::optional<std::string>(*v.value) : std::nullopt});
  return o;
}

// What a taken notification sends: the definition's fields from the record snapshot.
inline soap::sobject sent_object(const outgoing& o) {
  return make_sobject(account_definition(), o.data.get(), o.item.record_id);
}

inline record_change create(std::string name, std::string city = "Walldorf") {
  return {change_kind::create, "Account", "", {{"Name", name}, {"BillingCity", city}}};
}
// `n` new Accounts named R0, R1, ...
inline std::vector<record_change> creates(int n) {
  std::vector<record_change> changes;
  for (int i = 0; i < n; ++i) changes.push_back(create("R" + std::to_string(i)));
  return changes;
}
inline record_change update(std::string id, std::vector<soap::field_value> fields) {
  return {change_kind::update, "", std::move(id), std::move(fields)};
}
inline record_change remove(std::string id) {
  return {change_kind::remove, "", std::move(id), {}};
}

template <class Factory>
class store_contract : public ::testing::Test {
 protected:
  void SetUp() override {
    db = factory.make();
    db->put_definition(account_definition());
  }
  Factory factory;
  std::unique_ptr<store> db;
};

TYPED_TEST_SUITE_P(store_contract);

TYPED_TEST_P(store_contract, accept_assigns_ids_and_queues_one_notification_per_change) {
  std::vector<record_change> changes{create("Acme"), create("Globex")};
  auto r = this->db->accept(changes, t0);
  ASSERT_EQ(r.record_ids.size(), 2u);
  EXPECT_EQ(r.record_ids[0].substr(0, 3), "001");
  EXPECT_NE(r.record_ids[0], r.record_ids[1]);
  ASSERT_EQ(r.notifications.size(), 2u);
  const auto& n = r.notifications[0];
  EXPECT_EQ(n.id, soap::make_id("04l", n.sequence));
  EXPECT_EQ(n.definition, "Notify_ERP");
  EXPECT_EQ(n.record_id, r.record_ids[0]);
  EXPECT_EQ(n.status, state::queued);
  EXPECT_EQ(n.created, t0);
  EXPECT_EQ(n.next_attempt, t0);
  EXPECT_EQ(r.notifications[1].sequence, n.sequence + 1);
  EXPECT_EQ(this->db->find(n.id), n);
  EXPECT_EQ(this->db->find_record(r.record_ids[1])->fields[0].value, "Globex");
  EXPECT_EQ(this->db->counts()[state::queued], 2u);
}

TYPED_TEST_P(store_contract, every_definition_on_the_object_fires) {
  this->db->put_definition(account_definition("Notify_CRM"));
  auto other = account_definition("Contact_Sync");
  other.object = "Contact";
  this->db->put_definition(other);
  std::vector<record_change> changes{create("Acme")};
  auto r = this->db->accept(changes, t0);
  ASSERT_EQ(r.notifications.size(), 2u);
  EXPECT_EQ(r.notifications[1].definition, "Notify_CRM");
  EXPECT_EQ(this->db->counts("Notify_CRM")[state::queued], 1u);
  EXPECT_EQ(this->db->counts("Contact_Sync").total(), 0u);
  EXPECT_EQ(this->db->definitions().size(), 3u);
}

TYPED_TEST_P(store_contract, one_at_a_time_takes_see_changes_made_between_them) {
  std::vector<record_change> first{create("Acme"), create("Globex"), create("Initech")};
  auto r = this->db->accept(first, t0);
  ASSERT_EQ(this->db->take_due("Notify_ERP", t0, 1).size(), 1u);
  std::vector<record_change> second{update(r.record_ids[1], {{"Name", "Globex AG"}})};
  this->db->accept(second, t0 + 1s);
  // Globex's first notification carries the new name although a store may have read it ahead.
  auto due = this->db->take_due("Notify_ERP", t0 + 1s, 1);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].item.id, r.notifications[1].id);
  EXPECT_EQ(sent_object(due[0]).fields[1].value, "Globex AG");
  // A Retry moves Initech's notification behind the cursor: it comes next, then the update's.
  ASSERT_TRUE(this->db->retry_now(r.notifications[2].id, t0 + 1s) == operation_result::done);
  std::vector<std::string> rest;
  for (const auto& o : this->db->take_due("Notify_ERP", t0 + 2s, 100)) rest.push_back(o.item.id);
  EXPECT_EQ(rest, (std::vector<std::string>{r.notifications[2].id, soap::make_id("04l", 4)}));
  EXPECT_EQ(this->db->counts()[state::in_flight], 4u);
}

TYPED_TEST_P(store_contract, a_taken_snapshot_keeps_its_values_after_a_later_change) {
  std::vector<record_change> first{create("Acme")};
  auto r = this->db->accept(first, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 100);
  ASSERT_EQ(due.size(), 1u);
  std::vector<record_change> second{update(r.record_ids[0], {{"Name", "Acme AG"}})};
  this->db->accept(second, t0 + 1s);
  // The message in flight was written with "Acme"; the next notification carries "Acme AG".
  EXPECT_EQ(sent_object(due[0]).fields[1].value, "Acme");
  EXPECT_EQ(this->db->find_record(r.record_ids[0])->fields[0].value, "Acme AG");
}

TYPED_TEST_P(store_contract, take_due_carries_the_latest_values_and_deleted_sends_only_id) {
  std::vector<record_change> first{create("Acme", "Walldorf"), create("Globex")};
  auto r = this->db->accept(first, t0);
  std::vector<record_change> second{update(r.record_ids[0], {{"Name", "Acme AG"}}),
                                    remove(r.record_ids[1])};
  this->db->accept(second, t0 + 1s);
  auto due = this->db->take_due("Notify_ERP", t0 + 2s, 100);
  ASSERT_EQ(due.size(), 4u);
  for (std::size_t i = 0; i < due.size(); ++i) EXPECT_EQ(due[i].item.status, state::in_flight);
  // Definition order: BillingCity, Name; the update kept the city and changed the name.
  EXPECT_EQ(sent_object(due[0]).fields,
            (std::vector<soap::field_value>{{"BillingCity", "Walldorf"}, {"Name", "Acme AG"}}));
  EXPECT_EQ(due[0].data->object, "Account");
  EXPECT_EQ(due[0].data->id, r.record_ids[0]);
  EXPECT_TRUE(due[1].data->deleted);  // Globex is deleted by now: only its Id is sent
  EXPECT_TRUE(sent_object(due[1]).fields.empty());
  EXPECT_EQ(sent_object(due[1]).id, r.record_ids[1]);
  EXPECT_TRUE(this->db->find_record(r.record_ids[1])->deleted);
  EXPECT_EQ(this->db->counts()[state::in_flight], 4u);
  EXPECT_FALSE(this->db->next_due("Notify_ERP"));
}

TYPED_TEST_P(store_contract, bad_changes_apply_nothing) {
  std::vector<record_change> bad{create("Acme"), update("001000000000000XYZ", {})};
  EXPECT_THROW(this->db->accept(bad, t0), input_error);
  EXPECT_EQ(this->db->counts().total(), 0u);
  std::vector<record_change> ok{create("Acme")};
  auto r = this->db->accept(ok, t0);
  std::vector<record_change> twice{remove(r.record_ids[0]), remove(r.record_ids[0])};
  EXPECT_THROW(this->db->accept(twice, t0), input_error);
  EXPECT_FALSE(this->db->find_record(r.record_ids[0])->deleted);
}

TYPED_TEST_P(store_contract, due_order_is_next_attempt_then_sequence) {
  std::vector<record_change> changes{create("A"), create("B"), create("C")};
  auto r = this->db->accept(changes, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 2);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].item.sequence, r.notifications[0].sequence);
  // A retries at t0+30s, B at t0+20s: after C (due at t0), B comes before A.
  std::vector<settlement> out{{due[0].item.sequence, state::retrying, t0 + 30s},
                              {due[1].item.sequence, state::retrying, t0 + 20s}};
  this->db->record_attempt(out, t0 + 1s, "SOAP response was a nack");
  this->db->flush();
  EXPECT_EQ(this->db->next_due("Notify_ERP"), t0);
  EXPECT_TRUE(this->db->take_due("Notify_ERP", t0 + 10s, 100).size() == 1);
  EXPECT_EQ(this->db->next_due("Notify_ERP"), t0 + 20s);
  EXPECT_TRUE(this->db->take_due("Notify_ERP", t0 + 19s, 100).empty());
  auto later = this->db->take_due("Notify_ERP", t0 + 1min, 100);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].item.record_id, r.record_ids[1]);
  EXPECT_EQ(later[0].item.attempts, 1);
  EXPECT_EQ(later[0].item.last_error, "SOAP response was a nack");
  EXPECT_EQ(later[0].item.status, state::in_flight);
}

TYPED_TEST_P(store_contract, record_attempt_settles_each_state) {
  std::vector<record_change> changes{create("A"), create("B"), create("C"), create("D")};
  auto r = this->db->accept(changes, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 100);
  ASSERT_EQ(due.size(), 4u);
  std::vector<settlement> delivered{{due[0].item.sequence, state::delivered, {}}};
  this->db->record_attempt(delivered, t0 + 1s, "");
  std::vector<settlement> failed{{due[1].item.sequence, state::failed, {}},
                                 {due[2].item.sequence, state::dropped, {}}};
  this->db->record_attempt(failed, t0 + 2s, "(503)Service Unavailable");
  std::vector<std::uint64_t> back{due[3].item.sequence};
  this->db->release(back);
  this->db->flush();
  auto a = *this->db->find(due[0].item.id);
  EXPECT_EQ(a.status, state::delivered);
  EXPECT_EQ(a.delivered_at, t0 + 1s);
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.last_error, "");
  auto b = *this->db->find(due[1].item.id);
  EXPECT_EQ(b.status, state::failed);
  EXPECT_EQ(b.last_error, "(503)Service Unavailable");
  EXPECT_EQ(b.last_attempt, t0 + 2s);
  EXPECT_EQ(this->db->find(due[2].item.id)->status, state::dropped);
  auto d = *this->db->find(due[3].item.id);
  EXPECT_EQ(d.status, state::queued);
  EXPECT_EQ(d.attempts, 0);
  auto c = this->db->counts();
  EXPECT_EQ(c[state::delivered], 1u);
  EXPECT_EQ(c[state::failed], 1u);
  EXPECT_EQ(c[state::dropped], 1u);
  EXPECT_EQ(c[state::queued], 1u);
  EXPECT_EQ(c.total(), 4u);
}

TYPED_TEST_P(store_contract, retry_and_delete_operations) {
  std::vector<record_change> changes{create("A"), create("B"), create("C")};
  auto r = this->db->accept(changes, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 100);
  std::vector<settlement> out{{due[0].item.sequence, state::failed, {}},
                              {due[1].item.sequence, state::failed, {}},
                              {due[2].item.sequence, state::delivered, {}}};
  this->db->record_attempt(out, t0 + 1s, "timeout");
  this->db->flush();
  EXPECT_EQ(this->db->retry_now(due[0].item.id, t0 + 1h), operation_result::done);
  auto a = *this->db->find(due[0].item.id);
  EXPECT_EQ(a.status, state::retrying);
  EXPECT_EQ(a.next_attempt, t0 + 1h);
  EXPECT_EQ(this->db->retry_now(due[2].item.id, t0 + 1h), operation_result::not_allowed);
  EXPECT_EQ(this->db->retry_now("04l5g00000zzzzzAAA", t0), operation_result::unknown_id);
  EXPECT_EQ(this->db->remove(due[0].item.id), operation_result::done);
  EXPECT_EQ(this->db->find(due[0].item.id)->status, state::deleted);
  EXPECT_FALSE(this->db->next_due("Notify_ERP"));
  EXPECT_EQ(this->db->remove(due[0].item.id), operation_result::not_allowed);
  EXPECT_EQ(this->db->remove("nonsense"), operation_result::unknown_id);
  EXPECT_EQ(this->db->retry_failed(t0 + 2h), 1u);
  EXPECT_EQ(this->db->find(due[1].item.id)->status, state::retrying);
  EXPECT_EQ(this->db->next_due("Notify_ERP"), t0 + 2h);
  // The 15-character form of an id names the same notification.
  EXPECT_EQ(this->db->find(due[1].item.id.substr(0, 15))->id, due[1].item.id);
}

TYPED_TEST_P(store_contract, a_deleted_in_flight_notification_stays_deleted) {
  std::vector<record_change> changes{create("A")};
  this->db->accept(changes, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 100);
  EXPECT_EQ(this->db->remove(due[0].item.id), operation_result::done);
  std::vector<settlement> out{{due[0].item.sequence, state::retrying, t0 + 15s}};
  this->db->record_attempt(out, t0 + 1s, "timeout");
  this->db->flush();
  EXPECT_EQ(this->db->find(due[0].item.id)->status, state::deleted);
  EXPECT_FALSE(this->db->next_due("Notify_ERP"));
}

TYPED_TEST_P(store_contract, for_each_visits_states_in_queue_order) {
  std::vector<record_change> changes{create("A"), create("B"), create("C")};
  auto r = this->db->accept(changes, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 1);
  std::vector<settlement> out{{due[0].item.sequence, state::delivered, {}}};
  this->db->record_attempt(out, t0, "");
  this->db->flush();
  std::vector<std::string> seen;
  const state pending[] = {state::queued, state::retrying, state::failed};
  this->db->for_each(pending, 100, [&](const notification& n) { seen.push_back(n.record_id); });
  EXPECT_EQ(seen, (std::vector<std::string>{r.record_ids[1], r.record_ids[2]}));
  seen.clear();
  this->db->for_each(pending, 1, [&](const notification& n) { seen.push_back(n.record_id); });
  EXPECT_EQ(seen.size(), 1u);
}

// write_behind() may still be writing when the next calls come: they must see what flush() would
// have left, without waiting for results that are not due.
TYPED_TEST_P(store_contract, results_written_behind_read_as_if_flushed) {
  std::vector<record_change> changes{create("A"), create("B"), create("C"), create("D")};
  auto r = this->db->accept(changes, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 3);
  ASSERT_EQ(due.size(), 3u);
  std::vector<settlement> out{{due[0].item.sequence, state::delivered, {}}};
  this->db->record_attempt(out, t0 + 1s, "");
  out = {{due[1].item.sequence, state::retrying, t0 + 15s},
         {due[2].item.sequence, state::retrying, t0 + 15s}};
  this->db->record_attempt(out, t0 + 1s, "timeout");
  this->db->write_behind();
  EXPECT_EQ(this->db->next_due("Notify_ERP"), t0);  // D, never taken
  auto d = this->db->take_due("Notify_ERP", t0 + 1s, 100);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].item.record_id, r.record_ids[3]);
  EXPECT_EQ(this->db->next_due("Notify_ERP"), t0 + 15s);
  EXPECT_TRUE(this->db->take_due("Notify_ERP", t0 + 14s, 100).empty());
  auto retries = this->db->take_due("Notify_ERP", t0 + 15s, 100);
  ASSERT_EQ(retries.size(), 2u);
  EXPECT_EQ(retries[0].item.id, due[1].item.id);
  EXPECT_EQ(retries[0].item.attempts, 1);
  EXPECT_EQ(retries[0].item.last_error, "timeout");
  EXPECT_EQ(retries[1].item.id, due[2].item.id);
  out = {{d[0].item.sequence, state::delivered, {}}};
  this->db->record_attempt(out, t0 + 16s, "");
  this->db->write_behind();
  auto c = this->db->counts();
  EXPECT_EQ(c[state::delivered], 2u);
  EXPECT_EQ(c[state::in_flight], 2u);
  EXPECT_EQ(this->db->find(due[0].item.id)->delivered_at, t0 + 1s);
  std::vector<std::uint64_t> back{retries[0].item.sequence, retries[1].item.sequence};
  this->db->release(back);
  EXPECT_EQ(this->db->counts()[state::retrying], 2u);
}

// A retry that comes due before its result was written (a short retry interval) is taken in
// its place, not passed by the rows due after it.
TYPED_TEST_P(store_contract, a_retry_due_before_it_is_written_is_taken_in_order) {
  std::vector<record_change> changes{create("A"), create("B"), create("C")};
  this->db->accept(changes, t0);
  auto due = this->db->take_due("Notify_ERP", t0, 2);
  ASSERT_EQ(due.size(), 2u);
  std::vector<settlement> out{{due[1].item.sequence, state::retrying, t0 + 1500us}};
  this->db->record_attempt(out, t0, "timeout");
  this->db->flush();
  out = {{due[0].item.sequence, state::retrying, t0 + 1ms}};
  this->db->record_attempt(out, t0, "timeout");  // buffered
  auto next = this->db->take_due("Notify_ERP", t0 + 2ms, 10);
  std::vector<std::uint64_t> order;
  for (const auto& o : next) order.push_back(o.item.sequence);
  EXPECT_EQ(order, (std::vector<std::uint64_t>{due[1].item.sequence + 1, due[0].item.sequence,
                                               due[1].item.sequence}));
}

REGISTER_TYPED_TEST_SUITE_P(store_contract,
                            accept_assigns_ids_and_queues_one_notification_per_change,
                            every_definition_on_the_object_fires,
                            take_due_carries_the_latest_values_and_deleted_sends_only_id,
                            a_taken_snapshot_keeps_its_values_after_a_later_change,
                            one_at_a_time_takes_see_changes_made_between_them,
                            bad_changes_apply_nothing, due_order_is_next_attempt_then_sequence,
                            record_attempt_settles_each_state, retry_and_delete_operations,
                            a_deleted_in_flight_notification_stays_deleted,
                            for_each_visits_states_in_queue_order,
                            results_written_behind_read_as_if_flushed,
                            a_retry_due_before_it_is_written_is_taken_in_order);

}  // namespace outbound::sender::testing
