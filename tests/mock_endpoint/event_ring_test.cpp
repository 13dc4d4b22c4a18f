// The events of GET /__admin/events: numbered, resumable while the ring holds them, a gap
// reported as lost rather than skipped, each event the --log json line of what happened.
#include "mock_endpoint/event_ring.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/mock_endpoint/helpers.hpp"

namespace outbound::mock_endpoint {
namespace {

using testing::t0;

request_log_entry request(const char* answer, int status) {
  request_log_entry e;
  e.at = t0();
  e.peer = "127.0.0.1:4000";
  e.method = "POST";
  e.target = "/ack";
  e.notifications = 2;
  e.status = status;
  e.answer = answer;
  if (status != 200) e.faults.push_back(fault_kind::http_status);
  return e;
}

// The events of a batch's text: (id, name, data) of each block.
struct sse {
  std::string id, name, data;
};
std::vector<sse> events_of(const std::string& text) {
  std::vector<sse> out;
  std::size_t at = 0;
  for (auto end = text.find("\n\n"); end != std::string::npos; end = text.find("\n\n", at)) {
    sse e;
    std::string block = text.substr(at, end - at);
    for (std::size_t p = 0; p < block.size();) {
      const auto eol = std::min(block.find('\n', p), block.size());
      const std::string line = block.substr(p, eol - p);
      if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
      if (line.rfind("event: ", 0) == 0) e.name = line.substr(7);
      if (line.rfind("data: ", 0) == 0) e.data = line.substr(6);
      p = eol + 1;
    }
    out.push_back(e);
    at = end + 2;
  }
  EXPECT_EQ(at, text.size()) << "a block without its blank line";
  return out;
}

TEST(event_ring, numbers_events_and_gives_those_after_an_id) {
  event_ring ring(10);
  EXPECT_EQ(ring.last_id(), 0u);
  EXPECT_EQ(ring.add_window(t0(), true, "outage: http_status"), 1u);
  EXPECT_EQ(ring.add_request(request("faulted", 503)), 2u);
  EXPECT_EQ(ring.add_window(t0(), false, "outage: http_status"), 3u);
  EXPECT_EQ(ring.add_request(request("acked", 200)), 4u);

  const event_batch all = ring.after(0, 100);
  EXPECT_EQ(all.last, 4u);
  EXPECT_EQ(all.lost, 0u);
  const auto events = events_of(all.text);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].id, "1");
  EXPECT_EQ(events[0].name, "fault_window_opened");
  EXPECT_EQ(events[1].name, "request");
  EXPECT_EQ(events[2].name, "fault_window_closed");
  // The data is the --log json line, byte for byte.
  EXPECT_EQ(events[1].data, format_request_line(request("faulted", 503), log_format::json));
  EXPECT_EQ(events[0].data,
            format_window_line(t0(), true, "outage: http_status", log_format::json));
  const auto data = nlohmann::json::parse(events[3].data);
  EXPECT_EQ(data["answer"], "acked");
  EXPECT_EQ(data["status"], 200);

  // Resuming: only what came after, at most `max` at a time.
  const event_batch two = ring.after(1, 2);
  ASSERT_EQ(events_of(two.text).size(), 2u);
  EXPECT_EQ(events_of(two.text)[0].id, "2");
  EXPECT_EQ(two.last, 3u);
  EXPECT_TRUE(ring.after(4, 100).text.empty());
  EXPECT_EQ(ring.after(4, 100).last, 4u);
}

TEST(event_ring, events_the_ring_no_longer_holds_are_reported_lost) {
  event_ring ring(3);
  for (int i = 0; i < 8; ++i) ring.add_request(request("acked", 200));
  const event_batch b = ring.after(2, 100);  // 3 to 5 are gone, 6 to 8 are held
  EXPECT_EQ(b.lost, 3u);
  const auto events = events_of(b.text);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].name, "events_lost");
  EXPECT_EQ(events[0].id, "5");  // resuming after it asks for 6 on
  const auto gap = nlohmann::json::parse(events[0].data);
  EXPECT_EQ(gap["first"], 3);
  EXPECT_EQ(gap["last"], 5);
  EXPECT_EQ(gap["count"], 3);
  EXPECT_EQ(events[1].id, "6");
  EXPECT_EQ(events[3].id, "8");
  EXPECT_EQ(ring.after(5, 100).lost, 0u);
}

TEST(event_ring, the_goodbye_has_no_id) {
  const std::string goodbye = stopped_event(t0());
  EXPECT_EQ(goodbye.find("id:"), std::string::npos);
  const auto events = events_of(goodbye);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "mock_stopped");
  EXPECT_EQ(nlohmann::json::parse(events[0].data)["time"], format_timestamp(t0()));
}

}  // namespace
}  // namespace outbound::mock_endpoint
