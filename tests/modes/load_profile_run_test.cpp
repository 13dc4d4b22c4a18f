// The load generator driven by a profile's stages and mix, in simulated time: messages go out at
// the plan's offsets, definitions and batch sizes follow the weights, shards interleave the one
// schedule and together send exactly what one run sends, and the report's series and statistics
// per definition add up.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "modes/builtin_definition.hpp"
#include "modes/load_generator.hpp"
#include "modes/load_report.hpp"
#include "soap/envelope.hpp"
#include "tests/modes/fake_transport.hpp"

namespace outbound::modes {
namespace {

using namespace std::chrono_literals;
using testing::fake_transport;

const time_point start = *parse_timestamp("2026-01-05T09:00:00Z");

load_options profile_options(shard s = {}) {
  load_options o;
  o.endpoint = {"http://127.0.0.1:9/", false, "127.0.0.1", "9", "/"};
  o.stages = {{2s, 0, 100}, {1s, 100, 100}, {1s, 300, 300}};  // 100 + 100 + 300 messages
  auto contact = builtin_account_definition();
  contact.full_name = "Contact_to_ERP";
  contact.object = "Contact";
  o.definitions = {{builtin_account_definition(), 3, batch_sizes::uniform(1, 10)},
                   {contact, 1, batch_sizes::fixed(1)}};
  o.profile = "profile.json";
  o.connections = 50;
  o.shard = s;
  o.seed = 11;
  return o;
}

struct run {
  event_loop loop{start};
  fake_transport transport;
  load_generator generator;
  load_options options;

  run(load_options o, duration delay)
      : transport(loop, delay), generator(loop, transport, o), options(o) {
    transport.answer = [](std::size_t i) {
      return i % 50 == 7 ? fake_transport::nack() : fake_transport::ok();
    };
    generator.start([] {});
    loop.run();
  }
};

// Per object type, the batch sizes of the messages sent.
std::map<std::string, std::multiset<std::size_t>> mix_of_bodies(const std::vector<std::string>& b) {
  std::map<std::string, std::multiset<std::size_t>> out;
  for (const auto& body : b) {
    const auto m = soap::parse_envelope(body);
    EXPECT_TRUE(m);
    if (m) out[m->notifications.front().object.type].insert(m->notifications.size());
  }
  return out;
}

TEST(load_profile_run, sends_each_message_at_the_plans_offset) {
  run r(profile_options(), 1ms);
  const arrival_plan plan({{2s, 0, 100}, {1s, 100, 100}, {1s, 300, 300}});
  ASSERT_EQ(r.transport.sent_at.size(), plan.message_count());
  EXPECT_EQ(plan.message_count(), 500u);
  for (std::size_t i = 0; i < r.transport.sent_at.size(); ++i)
    EXPECT_EQ(r.transport.sent_at[i], start + plan.offset(i)) << i;
  EXPECT_TRUE(r.generator.finished());
}

TEST(load_profile_run, definitions_and_batches_follow_the_weights) {
  run r(profile_options(), 1ms);
  const auto mix = mix_of_bodies(r.transport.bodies);
  ASSERT_EQ(mix.size(), 2u);
  EXPECT_NEAR(double(mix.at("Account").size()) / 500, 0.75, 0.06);
  EXPECT_EQ(*mix.at("Contact").rbegin(), 1u);
  EXPECT_EQ(*mix.at("Account").begin(), 1u);
  EXPECT_EQ(*mix.at("Account").rbegin(), 10u);
  const auto& defs = r.generator.result().series.definitions();
  EXPECT_EQ(defs.at("Notify_ERP").ok + defs.at("Notify_ERP").ko, mix.at("Account").size());
  EXPECT_EQ(defs.at("Contact_to_ERP").ok + defs.at("Contact_to_ERP").ko, mix.at("Contact").size());
}

// Three shards of one profile send exactly the messages of one run: the same definitions with
// the same batch sizes, at the same instants, no id twice.
TEST(load_profile_run, shards_interleave_the_one_schedule_and_mix) {
  run whole(profile_options(), 1ms);
  std::map<std::string, std::multiset<std::size_t>> merged;
  std::multiset<time_point> instants;
  std::set<std::string> ids;
  std::size_t notifications = 0;
  for (std::uint64_t k = 1; k <= 3; ++k) {
    run part(profile_options({k, 3}), 1ms);
    for (const auto& [type, sizes] : mix_of_bodies(part.transport.bodies))
      merged[type].insert(sizes.begin(), sizes.end());
    instants.insert(part.transport.sent_at.begin(), part.transport.sent_at.end());
    for (const auto& body : part.transport.bodies) {
      const auto m = soap::parse_envelope(body);
      ASSERT_TRUE(m);
      for (const auto& n : m->notifications) {
        ids.insert(n.id);
        ++notifications;
      }
    }
  }
  EXPECT_EQ(merged, mix_of_bodies(whole.transport.bodies));
  EXPECT_EQ(instants, std::multiset<time_point>(whole.transport.sent_at.begin(),
                                                whole.transport.sent_at.end()));
  EXPECT_EQ(ids.size(), notifications);
}

// The report: the requested series integrates the plan, answered adds up, nacks show per
// interval, and the merge of the shards' reports has the series of one run.
TEST(load_profile_run, the_series_add_up_and_merge_exactly) {
  run whole(profile_options(), 3ms);
  const auto report = load_report(whole.options, whole.generator.result());
  ASSERT_TRUE(report.load);
  std::uint64_t requested = 0, answered = 0, failed = 0;
  for (const auto& p : report.load->points()) {
    requested += p.requested;
    answered += p.answered;
    for (const auto& [cls, n] : p.failed) failed += n;
  }
  EXPECT_EQ(requested, 500u);
  EXPECT_EQ(answered, 500u);
  EXPECT_EQ(failed, report.metrics.totals().messages_failed);
  EXPECT_GT(failed, 0u);
  EXPECT_EQ(report.parameters["stages"].size(), 3u);
  EXPECT_EQ(report.parameters["duration_us"], 4'000'000);
  EXPECT_DOUBLE_EQ(report.parameters["rate_per_second"].get<double>(), 125.0);
  // report.json keeps it all.
  EXPECT_EQ(reports::report_from_json(reports::to_json(report), "report.json"), report);
}

}  // namespace
}  // namespace outbound::modes
