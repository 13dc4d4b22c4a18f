#include "modes/load_generator.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "modes/builtin_definition.hpp"
#include "net/test_certificates.hpp"
#include "tests/modes/fake_transport.hpp"
#include "tests/modes/live_mock.hpp"

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;
using testing::fake_transport;

const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");

load_options options(double per_second, duration length, std::size_t connections,
                     std::size_t batch = 1) {
  load_options o;
  o.endpoint = {"http://127.0.0.1:9/", false, "127.0.0.1", "9", "/"};
  o.definition = builtin_account_definition();
  o.rate = rate{per_second};
  o.length = length;
  o.connections = connections;
  o.batch = batch;
  o.seed = 5;
  return o;
}

struct run {
  event_loop loop{start};
  fake_transport transport;
  load_generator generator;
  bool done = false;

  run(load_options o, duration delay) : transport(loop, delay), generator(loop, transport, o) {
    generator.start([this] { done = true; });
    loop.run();
  }
};

std::vector<std::string> notification_ids(const std::vector<std::string>& bodies) {
  std::vector<std::string> ids;
  for (const auto& b : bodies) {
    auto m = soap::parse_envelope(b);
    EXPECT_TRUE(m) << m.error();
    if (!m) continue;
    for (const auto& n : m->notifications) ids.push_back(n.id);
  }
  return ids;
}

TEST(load_generator, sends_rate_times_duration_messages_and_acks_them_all) {
  run r(options(200, 2s, 10), 1ms);
  const auto& res = r.generator.result();
  EXPECT_TRUE(r.done);
  EXPECT_EQ(res.scheduled, 400u);
  EXPECT_EQ(res.sent, 400u);
  EXPECT_EQ(res.answered, 400u);
  EXPECT_EQ(r.transport.bodies.size(), 400u);
  EXPECT_EQ(res.metrics.totals().messages_acked, 400u);
  EXPECT_EQ(res.metrics.delivery_latency().count(), 400u);
  EXPECT_EQ(res.metrics.response_time().max(), 1000);  // never late: 1 ms each
  EXPECT_EQ(res.max_backlog, 1u);                      // each message waits for nobody
  EXPECT_EQ(res.end, start + 1995ms + 1ms);            // the last is due at 1.995 s
  EXPECT_DOUBLE_EQ(res.achieved_rate(2s), 200.0);
}

TEST(load_generator, sends_each_message_at_its_due_time) {
  run r(options(100, 1s, 10), 1ms);
  const auto& series = r.generator.result().metrics.series();
  std::uint64_t sent = 0;
  for (auto s : series.sent) sent += s;
  EXPECT_EQ(sent, 100u);
  EXPECT_EQ(r.generator.result().metrics.service_time().max(), 1000);
}

// Past 20,000 messages a second the timer is armed once per 50 us, not once per message: each
// message goes out at most 50 us after its due time, and that lateness is in its latency.
TEST(load_generator, sends_groups_of_messages_a_pacing_quantum_apart_at_high_rates) {
  run r(options(100'000, 100ms, 100), 1ms);
  const auto& res = r.generator.result();
  ASSERT_EQ(res.answered, 10'000u);
  EXPECT_LE(res.metrics.response_time().max(), 1000 + 50);
  EXPECT_EQ(res.metrics.service_time().max(), 1000);
  EXPECT_LE(res.max_backlog, 6u);
  // One event per answer, and about one tick per 50 us (2,000 in 100 ms) instead of 10,000.
  EXPECT_LE(r.loop.fired(), 10'000u + 2'100u);
}

// One connection, answers after 100 ms, a message due every 10 ms: message i is sent only when
// i-1 is answered, at i*100ms, and answered at (i+1)*100ms, so its latency from its intended start
// i*10ms is 100ms + i*90ms. A closed-loop tool would report 100 ms for every one of them.
TEST(load_generator, counts_latency_from_the_intended_start_when_requests_queue) {
  run r(options(100, 1s, 1), 100ms);
  const auto& res = r.generator.result();
  ASSERT_EQ(res.answered, 100u);
  EXPECT_EQ(res.metrics.response_time().min(), 100'000);
  EXPECT_EQ(res.metrics.response_time().max(), 100'000 + 99 * 90'000);
  EXPECT_EQ(res.metrics.delivery_latency().max(), 100'000 + 99 * 90'000);
  EXPECT_GT(res.metrics.response_time().percentile(50), 4'000'000);
  EXPECT_EQ(res.metrics.service_time().min(), 100'000);
  EXPECT_EQ(res.metrics.service_time().max(), 100'000);
  EXPECT_GT(res.max_backlog, 80u);
  const auto& depth = res.metrics.series().queue_depth_max;
  EXPECT_EQ(*std::max_element(depth.begin(), depth.end()), res.max_backlog);
  EXPECT_EQ(res.metrics.series().queue_depth.back(), 0u);  // drained by the end
  EXPECT_EQ(res.end, start + 10s);
  EXPECT_NEAR(res.achieved_rate(1s), 10.0, 1e-9);
}

TEST(load_generator, latency_grows_with_every_queued_request) {
  // The same slow endpoint with enough connections: nobody waits, every latency is 100 ms.
  run wide(options(100, 1s, 16), 100ms);
  EXPECT_EQ(wide.generator.result().metrics.response_time().max(), 100'000);
  EXPECT_LE(wide.generator.result().max_backlog, 1u);
  run narrow(options(100, 1s, 1), 100ms);
  EXPECT_GT(narrow.generator.result().metrics.response_time().percentile(90),
            50 * wide.generator.result().metrics.response_time().percentile(90));
}

TEST(load_generator, carries_batch_notifications_with_distinct_ids) {
  run r(options(10, 1s, 2, 25), 1ms);
  const auto ids = notification_ids(r.transport.bodies);
  EXPECT_EQ(ids.size(), 250u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 250u);
  EXPECT_EQ(r.generator.result().metrics.totals().notification_attempts, 250u);
  EXPECT_EQ(r.generator.result().metrics.totals().notifications_delivered, 250u);
}

// Three shards started together send the whole test's schedule, each a third of it, interleaved,
// and never the same id.
TEST(load_generator, shards_split_the_rate_and_never_share_a_notification_id) {
  run whole(options(50, 1s, 4, 3), 1ms);
  std::multiset<time_point> sent_at;
  std::set<std::string> all;
  std::size_t total = 0;
  for (std::uint64_t k = 1; k <= 3; ++k) {
    auto o = options(50, 1s, 4, 3);
    o.shard = shard{k, 3};
    run r(o, 1ms);
    EXPECT_EQ(r.generator.result().scheduled, k == 3 ? 16u : 17u);  // 50 = 17 + 17 + 16
    EXPECT_EQ(r.transport.sent_at.front(), start + 20ms * static_cast<long>(k - 1));
    sent_at.insert(r.transport.sent_at.begin(), r.transport.sent_at.end());
    const auto ids = notification_ids(r.transport.bodies);
    EXPECT_EQ(ids.size(), 3 * r.generator.result().scheduled);
    total += ids.size();
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), total);
  EXPECT_EQ(total, 150u);
  EXPECT_EQ(sent_at, std::multiset<time_point>(whole.transport.sent_at.begin(),
                                               whole.transport.sent_at.end()));
}

// Shards draw their own field values (shard 1 keeps the run's, so a single run is unchanged).
TEST(load_generator, shards_draw_their_own_field_values) {
  event_loop loop(start);
  fake_transport t(loop, 1ms);
  auto o = options(1, 1s, 1);
  load_generator alone(loop, t, o);
  o.shard = shard{1, 2};
  load_generator first(loop, t, o);
  o.shard = shard{2, 2};
  load_generator second(loop, t, o);
  const auto fields = [](load_generator& g) {
    const auto m = soap::parse_envelope(g.envelope_of(0));
    EXPECT_TRUE(m) << m.error();
    return m ? m->notifications[0].object.fields : std::vector<soap::field_value>{};
  };
  EXPECT_EQ(fields(alone), fields(first));
  EXPECT_NE(fields(first), fields(second));
}

TEST(load_generator, same_seed_same_bytes) {
  run a(options(20, 1s, 2, 2), 1ms);
  run b(options(20, 1s, 2, 2), 1ms);
  EXPECT_EQ(a.transport.bodies, b.transport.bodies);
}

TEST(load_generator, counts_errors_by_class) {
  event_loop loop(start);
  fake_transport t(loop, 2ms);
  t.answer = [](std::size_t i) {
    return i % 4 == 0 ? fake_transport::nack() : fake_transport::ok();
  };
  load_generator g(loop, t, options(100, 1s, 4));
  g.start([] {});
  loop.run();
  const auto& totals = g.result().metrics.totals();
  EXPECT_EQ(totals.messages_failed, 25u);
  EXPECT_EQ(totals.messages_acked, 75u);
  EXPECT_EQ(totals.failures_by_class.at("nack"), 25u);
  EXPECT_EQ(totals.notifications_failed, 25u);
}

// A refused connection is an error, never a fast answer: it stays out of the service-time
// percentiles as it does out of the latency ones (issue 13: p50 "0us" from refused connections).
TEST(load_generator, refused_connections_have_no_service_time) {
  event_loop loop(start);
  fake_transport t(loop, 2ms);
  t.answer = [](std::size_t i) {
    sender::attempt_result r = fake_transport::ok();
    if (i % 2 == 0) {
      r = {};
      r.error = sender::transport_error::refused;
    }
    return r;
  };
  load_generator g(loop, t, options(100, 1s, 4));
  g.start([] {});
  loop.run();
  const auto& m = g.result().metrics;
  EXPECT_EQ(m.totals().failures_by_class.at("refused"), 50u);
  EXPECT_EQ(m.service_time().count(), 50u);  // the 50 acked messages only
  EXPECT_EQ(m.service_time().min(), 2000);
  EXPECT_EQ(m.delivery_latency().count(), 50u);
}

TEST(load_generator, counts_timeouts_and_keeps_the_schedule) {
  auto o = options(50, 1s, 8);
  o.timeout = 100ms;
  run r(o, 500ms);  // every answer would come after the timeout
  const auto& totals = r.generator.result().metrics.totals();
  EXPECT_EQ(totals.failures_by_class.at("timeout"), 50u);
  EXPECT_EQ(r.generator.result().answered, 50u);
}

TEST(load_generator, loads_the_real_mock_over_loopback) {
  testing::live_mock mock;
  testing::client c(4);
  auto o = options(200, 1s, 4, 2);
  o.endpoint = mock.url();
  load_generator g(c.sched, c.transport, o);
  bool done = false;
  g.start([&] {
    done = true;
    c.io.stop();
  });
  c.io.run();
  ASSERT_TRUE(done);
  const auto& res = g.result();
  EXPECT_EQ(res.scheduled, 200u);
  EXPECT_EQ(res.answered, 200u);
  EXPECT_EQ(res.metrics.totals().messages_acked, 200u);
  EXPECT_EQ(res.metrics.response_time().count(), 200u);
  EXPECT_EQ(res.metrics.delivery_latency().count(), 400u);
  EXPECT_GT(res.metrics.response_time().max(), 0);
  EXPECT_GE(res.end - res.start, 995ms);  // the last message is due at 0.995 s, not before
  const auto [unique, duplicates] = mock.with_endpoint([](mock_endpoint::responder& ep) {
    return std::pair(ep.ledger().unique_notifications(), ep.ledger().duplicates());
  });
  EXPECT_EQ(unique, 400u);
  EXPECT_EQ(duplicates, 0u);
}

TEST(load_generator, loads_the_real_mock_over_https) {
  const time_point now = system_clock().now();
  const auto ca = net::make_certificate_authority("modes test CA", now - 1h, now + 24h);
  const auto leaf = net::issue_certificate(ca, {"localhost", "127.0.0.1"}, now - 1h, now + 24h);
  const auto ca_file = std::filesystem::temp_directory_path() /
                       ("modes_test_ca_" + std::to_string(::getpid()) + ".pem");
  std::ofstream(ca_file) << ca.certificate;
  mock_endpoint::tls_settings tls;
  tls.certificate_pem = leaf.certificate;
  tls.private_key_pem = leaf.private_key;
  testing::live_mock mock({}, tls);
  testing::client c(2, ca_file.string());
  auto o = options(100, 500ms, 2);
  o.endpoint = mock.url();
  ASSERT_TRUE(o.endpoint.tls);
  load_generator g(c.sched, c.transport, o);
  g.start([&] { c.io.stop(); });
  c.io.run();
  std::filesystem::remove(ca_file);
  EXPECT_EQ(g.result().answered, 50u);
  EXPECT_EQ(g.result().metrics.totals().messages_acked, 50u)
      << (g.result().metrics.totals().failures_by_class.empty()
              ? ""
              : g.result().metrics.totals().failures_by_class.begin()->first);
}

TEST(load_generator, rejects_a_batch_over_100) {
  event_loop loop(start);
  fake_transport t(loop, 1ms);
  EXPECT_THROW(load_generator(loop, t, options(1, 1s, 1, 101)), std::invalid_argument);
  EXPECT_THROW(load_generator(loop, t, options(1, 1s, 0, 1)), std::invalid_argument);
}

}  // namespace
}  // namespace outbound::modes
