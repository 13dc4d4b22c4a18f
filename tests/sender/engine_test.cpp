#include "sender/engine.hpp"

#include <gtest/gtest.h>

#include "common/event_loop.hpp"
#include "sender/memory_store.hpp"
#include "tests/sender/fake_transport.hpp"
#include "tests/sender/store_contract.hpp"

namespace outbound::sender::testing {
namespace {

class engine_test : public ::testing::Test {
 protected:
  engine_test() { db.put_definition(account_definition()); }

  engine& make(engine_options options = {}) {
    engine_observer obs;
    obs.accepted = [this](const notification&) { ++accepted; };
    obs.attempt_sent = [this](const attempt& a) { sent_sizes.push_back(a.notifications.size()); };
    obs.attempt_finished = [this](const attempt&, const verdict& v, duration) {
      if (!v.delivered) reasons.push_back(v.reason);
    };
    obs.delivered = [this](const notification& n) { delivered.push_back(n); };
    obs.retrying = [this](const notification& n) { retrying.push_back(n); };
    obs.failed = [this](const notification& n) { failed.push_back(n); };
    obs.dropped = [this](const notification& n) { dropped.push_back(n); };
    obs.idle = [this] { ++idle_count; };
    e = std::make_unique<engine>(db, loop, transport, rng, std::move(options), std::move(obs));
    e->start();
    return *e;
  }
  accept_result add(int n) {
    std::vector<record_change> changes;
    for (int i = 0; i < n; ++i) changes.push_back(create("R" + std::to_string(i)));
    return e->accept(changes);
  }

  event_loop loop{t0};
  memory_store db;
  fake_transport transport{loop};
  random rng{7};
  std::unique_ptr<engine> e;
  int accepted = 0, idle_count = 0;
  std::vector<std::size_t> sent_sizes;
  std::vector<std::string> reasons;
  std::vector<notification> delivered, retrying, failed, dropped;
};

TEST_F(engine_test, delivers_everything_and_goes_idle) {
  transport.respond = [](const auto&) { return ack(); };
  make();
  add(3);
  loop.run();
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(sent_sizes, std::vector<std::size_t>{3});
  ASSERT_EQ(delivered.size(), 3u);
  EXPECT_EQ(delivered[0].attempts, 1);
  EXPECT_EQ(delivered[0].delivered_at, t0 + 10ms);
  EXPECT_EQ(db.counts()[state::delivered], 3u);
  EXPECT_EQ(idle_count, 1);
  EXPECT_TRUE(e->is_idle());
  EXPECT_EQ(transport.requests[0].timeout, std::chrono::seconds(60));
  EXPECT_EQ(transport.requests[0].to.host, "127.0.0.1");
  auto m = transport.requests[0].message();
  EXPECT_EQ(m.header.organization_id, account_definition().organization_id);
  EXPECT_FALSE(m.header.session_id);
}

TEST_F(engine_test, batches_at_most_100_per_message) {
  transport.respond = [](const auto&) { return ack(); };
  make();
  add(250);
  loop.run();
  EXPECT_EQ(sent_sizes, (std::vector<std::size_t>{100, 100, 50}));
  EXPECT_EQ(delivered.size(), 250u);
}

TEST_F(engine_test, batch_option_sets_the_message_size) {
  transport.respond = [](const auto&) { return ack(); };
  make({.batch = 7});
  add(20);
  loop.run();
  EXPECT_EQ(sent_sizes, (std::vector<std::size_t>{7, 7, 6}));
  // Notifications keep queue order across the messages.
  auto ids = transport.requests[1].message().notifications;
  EXPECT_EQ(ids[0].id, soap::make_id("04l", 8));
}

TEST_F(engine_test, at_most_connections_messages_in_flight_per_endpoint) {
  auto& eng = make({.batch = 1, .connections = 2});
  // A second definition on the same endpoint shares the limit.
  auto crm = account_definition("Notify_CRM");
  crm.action_id = soap::make_id("04k", 2);
  eng.put_definition(crm);
  add(5);  // 10 notifications
  loop.run();
  ASSERT_EQ(transport.requests.size(), 2u);
  EXPECT_EQ(eng.messages_in_flight(), 2u);
  // Round robin: one message of each definition.
  EXPECT_NE(transport.requests[0].message().header.action_id,
            transport.requests[1].message().header.action_id);
  std::size_t most = 0;
  for (std::size_t i = 0; i < transport.requests.size(); ++i) {
    transport.answer(i, ack());
    loop.run();
    most = std::max(most, transport.unanswered());
  }
  EXPECT_EQ(most, 2u);
  EXPECT_EQ(transport.requests.size(), 10u);
  EXPECT_EQ(delivered.size(), 10u);
  EXPECT_EQ(idle_count, 1);
}

TEST_F(engine_test, sends_the_values_at_send_time_and_only_the_id_of_a_deleted_record) {
  make({.batch = 1, .connections = 1});
  auto r = add(3);
  loop.run();
  ASSERT_EQ(transport.requests.size(), 1u);  // R0 in flight, R1 and R2 wait
  std::vector<record_change> changes{update(r.record_ids[1], {{"Name", "Changed"}}),
                                     remove(r.record_ids[2])};
  e->accept(changes);
  transport.answer(0, ack());
  loop.run();
  auto second = transport.requests.at(1).message().notifications.at(0);
  EXPECT_EQ(second.object.id, r.record_ids[1]);
  EXPECT_EQ(second.object.fields,
            (std::vector<soap::field_value>{{"BillingCity", "Walldorf"}, {"Name", "Changed"}}));
  transport.answer(1, ack());
  loop.run();
  auto third = transport.requests.at(2).message().notifications.at(0);
  EXPECT_EQ(third.object.id, r.record_ids[2]);
  EXPECT_TRUE(third.object.fields.empty());
}

TEST_F(engine_test, one_nack_retries_every_notification_of_the_message) {
  int calls = 0;
  transport.respond = [&](const auto&) { return ++calls == 1 ? nack() : ack(); };
  make();
  add(4);
  loop.run();
  ASSERT_EQ(retrying.size(), 4u);
  for (const auto& n : retrying) {
    EXPECT_EQ(n.last_error, "SOAP response was a nack");
    EXPECT_GE(n.next_attempt - (t0 + 10ms), std::chrono::milliseconds(13500));
    EXPECT_LE(n.next_attempt - (t0 + 10ms), std::chrono::milliseconds(16500));
  }
  EXPECT_EQ(reasons, std::vector<std::string>{"SOAP response was a nack"});
  ASSERT_EQ(delivered.size(), 4u);
  EXPECT_EQ(delivered[0].attempts, 2);
  EXPECT_EQ(sent_sizes, (std::vector<std::size_t>{4, 4}));  // retried together, same ids
  EXPECT_EQ(transport.requests[0].message().notifications[2].id,
            transport.requests[1].message().notifications[2].id);
}

TEST_F(engine_test, salesforce_schedule_then_dead_letter_after_24_hours) {
  transport.respond = [](const auto&) { return refused(); };
  make();
  add(1);
  loop.run();
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_TRUE(dropped.empty());
  const auto& n = failed[0];
  EXPECT_EQ(n.status, state::failed);
  EXPECT_EQ(n.attempts, static_cast<int>(transport.requests.size()));
  EXPECT_GE(n.attempts, 20);
  EXPECT_LE(n.attempts, 22);
  EXPECT_FALSE(n.last_error.empty());
  // Each wait is about double the one before (±10%), never over 2 h; the last attempt is made
  // when the notification is 24 hours old, and its failure expires it.
  EXPECT_EQ(transport.requests.back().sent_at, n.created + std::chrono::hours(24));
  for (std::size_t i = 1; i + 1 < transport.requests.size(); ++i) {
    auto wait = transport.requests[i].sent_at - transport.requests[i - 1].sent_at - 10ms;
    double expected = std::min(15.0 * (1 << std::min<std::size_t>(i - 1, 20)), 7200.0);
    EXPECT_NEAR(std::chrono::duration<double>(wait).count(), expected, expected * 0.1 + 0.001)
        << "retry " << i;
    EXPECT_LE(wait, std::chrono::hours(2));
  }
  EXPECT_LE(transport.requests.back().sent_at - t0, std::chrono::hours(24));
  EXPECT_EQ(db.counts()[state::failed], 1u);
  EXPECT_EQ(idle_count, 1);
}

TEST_F(engine_test, without_dead_letter_queue_expired_ones_are_dropped) {
  db.put_definition(account_definition("Notify_ERP", false));
  transport.respond = [](const auto&) { return refused(); };
  make({.policy = parse_retry_policy("fixed:1m,max_attempts=3")});
  add(2);
  loop.run();
  EXPECT_EQ(dropped.size(), 2u);
  EXPECT_TRUE(failed.empty());
  EXPECT_EQ(transport.requests.size(), 3u);
  EXPECT_EQ(transport.requests[2].sent_at, t0 + 2min + 20ms);
  EXPECT_EQ(db.counts()[state::dropped], 2u);
}

// A 503 with Retry-After: 120 moves the next attempt to two minutes later only when the policy
// says retry_after=honor; by default the 15 s schedule stands, as Salesforce documents it.
TEST_F(engine_test, retry_after_is_ignored_by_default_and_waited_for_when_honored) {
  for (const bool honor : {false, true}) {
    SCOPED_TRACE(honor ? "honor" : "ignore");
    fake_transport t{loop};
    int calls = 0;
    t.respond = [&](const auto&) {
      if (++calls > 1) return ack();
      auto r = http_result(503, "busy");
      r.response.retry_after = "120";
      return r;
    };
    const time_point start = loop.clock().now();
    engine_options options;
    options.policy = parse_retry_policy(honor ? "fixed:15s,retry_after=honor" : "fixed:15s");
    engine e2(db, loop, t, rng, options, {});
    e2.start();
    const std::vector<record_change> one{create(honor ? "H" : "I")};
    e2.accept(one);
    loop.run();
    ASSERT_EQ(t.requests.size(), 2u);
    EXPECT_EQ(t.requests[1].sent_at - t.requests[0].sent_at - 10ms, honor ? 120s : 15s);
    EXPECT_GE(t.requests[0].sent_at, start);
  }
}

TEST_F(engine_test, retry_sends_now_and_delete_stops_retries) {
  bool up = false;
  transport.respond = [&](const auto&) { return up ? ack() : refused(); };
  make({.policy = parse_retry_policy("fixed:1h,max_attempts=2")});
  auto r = add(2);
  loop.run();
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(idle_count, 1);
  up = true;
  EXPECT_EQ(e->retry_now(r.notifications[0].id), operation_result::done);
  EXPECT_EQ(e->remove(r.notifications[1].id), operation_result::done);
  EXPECT_EQ(e->retry_now(r.notifications[1].id), operation_result::not_allowed);
  EXPECT_EQ(e->retry_now("04lnope"), operation_result::unknown_id);
  loop.run();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].id, r.notifications[0].id);
  EXPECT_EQ(delivered[0].attempts, 3);
  EXPECT_EQ(idle_count, 2);
  EXPECT_EQ(db.counts()[state::deleted], 1u);
}

TEST_F(engine_test, retry_failed_requeues_all_failed) {
  bool up = false;
  transport.respond = [&](const auto&) { return up ? ack() : nack(); };
  make({.policy = parse_retry_policy("fixed:1s,max_attempts=1")});
  add(3);
  loop.run();
  EXPECT_EQ(failed.size(), 3u);
  up = true;
  EXPECT_EQ(e->retry_failed(), 3u);
  loop.run();
  EXPECT_EQ(delivered.size(), 3u);
  EXPECT_EQ(db.counts()[state::failed], 0u);
}

TEST_F(engine_test, stop_sends_nothing_more_and_idles_when_in_flight_ones_settle) {
  auto& eng = make({.batch = 1, .connections = 1});
  add(3);
  loop.run();
  ASSERT_EQ(transport.requests.size(), 1u);
  eng.stop();
  EXPECT_EQ(idle_count, 0);
  transport.answer(0, ack());
  loop.run();
  EXPECT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(idle_count, 1);
  EXPECT_EQ(db.counts()[state::queued], 2u);
}

TEST_F(engine_test, new_changes_wake_a_waiting_engine) {
  transport.respond = [](const auto&) { return ack(); };
  make();
  loop.run();
  EXPECT_EQ(idle_count, 1);
  loop.at(t0 + 1h, [this] { add(2); });
  loop.run();
  ASSERT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(transport.requests[0].sent_at, t0 + 1h);
  EXPECT_EQ(idle_count, 2);
}

TEST_F(engine_test, destroying_the_engine_returns_in_flight_notifications_to_the_queue) {
  make();
  add(2);
  loop.run();
  ASSERT_EQ(db.counts()[state::in_flight], 2u);
  e.reset();
  EXPECT_EQ(db.counts()[state::queued], 2u);
  transport.answer(0, ack());
  loop.run();  // the late completion is ignored
  EXPECT_EQ(db.counts()[state::queued], 2u);
}

TEST_F(engine_test, same_seed_same_schedule) {
  auto run = [](std::uint64_t seed) {
    event_loop loop(t0);
    memory_store db;
    db.put_definition(account_definition());
    fake_transport t(loop);
    t.respond = [](const auto&) { return refused(); };
    random rng(seed);
    engine e(db, loop, t, rng, {.batch = 1});
    e.start();
    std::vector<record_change> changes{create("A"), create("B")};
    e.accept(changes);
    loop.run();
    std::vector<time_point> times;
    for (const auto& q : t.requests) times.push_back(q.sent_at);
    return times;
  };
  EXPECT_EQ(run(3), run(3));
  EXPECT_NE(run(3), run(4));
}

TEST_F(engine_test, rejects_options_out_of_range) {
  EXPECT_THROW(make({.batch = 0}), input_error);
  EXPECT_THROW(make({.batch = 101}), input_error);
  EXPECT_THROW(make({.connections = 0}), input_error);
}

TEST_F(engine_test, session_id_only_for_definitions_that_include_it) {
  auto d = account_definition();
  d.include_session_id = true;
  d.endpoint_url = "https://127.0.0.1:8443/erp";
  db.put_definition(d);
  transport.respond = [](const auto&) { return ack(); };
  make({.session_id = "00Dxx!token"});
  add(1);
  loop.run();
  EXPECT_EQ(transport.requests[0].message().header.session_id, "00Dxx!token");
  EXPECT_TRUE(transport.requests[0].to.tls);
}

}  // namespace
}  // namespace outbound::sender::testing

namespace outbound::sender::testing {
namespace {

TEST_F(engine_test, polling_sees_a_retry_made_by_another_writer) {
  int calls = 0;
  transport.respond = [&](const auto&) { return ++calls == 1 ? refused() : ack(); };
  make({.policy = parse_retry_policy("fixed:1h"), .poll_interval = std::chrono::seconds(1)});
  auto r = add(1);
  loop.run_until(t0 + std::chrono::minutes(1));
  ASSERT_EQ(retrying.size(), 1u);
  // As `outbound retry ID` in another process would: straight to the store, not the engine.
  EXPECT_EQ(db.retry_now(r.notifications[0].id, loop.clock().now()), operation_result::done);
  loop.run();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_LE(transport.requests[1].sent_at, t0 + std::chrono::minutes(1) + std::chrono::seconds(1));
  EXPECT_EQ(idle_count, 1);
}

}  // namespace
}  // namespace outbound::sender::testing
