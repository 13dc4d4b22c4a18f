// The admin streams over sockets: GET /__admin/events on the admin listener through an outage
// while the main port and other admin requests go on, resuming, losing events past the ring, and
// ending cleanly on stop; the ledger export in chunks, whole.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "soap/envelope.hpp"
#include "tests/mock_endpoint/client.hpp"

namespace outbound::mock_endpoint {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using nlohmann::json;

// A client that sends one request and reads the raw answer as it comes, for streams that do not
// end by themselves. Every wait has a 20 s safety deadline, which a passing test never reaches.
class raw_client {
 public:
  explicit raw_client(std::uint16_t port) : socket_(io_) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void send(const std::string& request) { asio::write(socket_, asio::buffer(request)); }
  // Everything read so far once it holds `text` (or the peer closed, or the deadline passed).
  const std::string& read_until(const std::string& text) {
    read_while([&] { return got_.find(text) == std::string::npos; });
    return got_;
  }
  // Everything, once the peer closed.
  const std::string& read_to_end() {
    read_while([] { return true; });
    return got_;
  }
  bool closed() const { return closed_; }

 private:
  template <class More>
  void read_while(More more) {
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (!closed_ && more() && std::chrono::steady_clock::now() < give_up) {
      std::array<char, 4096> buf;
      bool done = false;
      socket_.async_read_some(asio::buffer(buf), [&](boost::system::error_code ec, std::size_t n) {
        got_.append(buf.data(), n);
        closed_ = static_cast<bool>(ec);
        done = true;
      });
      io_.restart();
      while (!done && std::chrono::steady_clock::now() < give_up) io_.run_for(50ms);
      if (!done) socket_.cancel();
      io_.restart();
      io_.run();
    }
  }
  asio::io_context io_;
  tcp::socket socket_;
  std::string got_;
  bool closed_ = false;
};

server_options with_admin_listener() {
  server_options o;
  o.admin = admin_listener{};
  return o;
}

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(admin_streams, events_flow_through_an_outage_without_holding_up_anything_else) {
  running_server s({}, with_admin_listener());
  const std::uint16_t admin = s.srv.admin_port();
  raw_client watcher(admin);
  watcher.send(get_request("/__admin/events"));
  const std::string& head = watcher.read_until(": outbound mock events");
  EXPECT_NE(head.find("Content-Type: text/event-stream"), std::string::npos) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked"), std::string::npos) << head;

  // The main port and the admin API answer while the stream is open.
  EXPECT_EQ(exchange_one(s.port(), post_request(soap::write_envelope(account_message(1)))).status,
            200);
  EXPECT_NE(watcher.read_until("\"answer\":\"acked\"").find("event: request"), std::string::npos);
  const auto started =
      exchange_one(admin,
                   "POST /__admin/outage HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n"
                   R"({"kind":"refuse"})");
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_NE(watcher.read_until("fault_window_opened").find("outage: refuse"), std::string::npos);
  // During the outage the admin listener answers at once, the stream still open.
  EXPECT_EQ(exchange_one(admin, get_request("/__admin/health")).status, 200);
  EXPECT_EQ(exchange_one(admin, get_request("/__admin/ledger")).status, 200);
  EXPECT_EQ(exchange_one(admin, "DELETE /__admin/outage HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
  watcher.read_until("fault_window_closed");
  EXPECT_FALSE(watcher.closed());

  // Stopping ends the body: the goodbye, then the last chunk, then the connection closes.
  s.srv.stop();
  const std::string& all = watcher.read_to_end();
  EXPECT_NE(all.find("event: mock_stopped"), std::string::npos) << all;
  EXPECT_EQ(all.substr(all.size() - 5), "0\r\n\r\n") << all;
  EXPECT_EQ(count_of(all, "id: "), 3) << all;  // the request, the window opening and closing
}

// A watcher that stops reading cannot hold the mock up when it stops: its stream gets a moment
// to end (server_impl::stream_grace), then the connection is closed. Without that, the last write
// would wait for the write timeout, an hour here, and the test would time out.
TEST(admin_streams, a_watcher_that_does_not_read_does_not_keep_the_mock_from_stopping) {
  server_options o = with_admin_listener();
  o.write_timeout = 1h;
  auto s = std::make_unique<running_server>(fault_plan{}, o);
  raw_client watcher(s->srv.admin_port());
  watcher.send(get_request("/__admin/events"));
  watcher.read_until(": outbound mock events");
  // Megabytes of events (each carries its 30 KB target) that the watcher never reads.
  const std::string body = soap::write_envelope(account_message(1));
  std::vector<std::string> posts(300, post_request(body, "/" + std::string(30000, 'x')));
  for (const auto& r : exchange(s->port(), posts)) ASSERT_EQ(r.status, 200);
  s.reset();  // stop() and join
  SUCCEED();
}

TEST(admin_streams, a_watcher_resumes_and_is_told_what_the_ring_lost) {
  server_options o = with_admin_listener();
  o.event_ring_size = 3;
  running_server s({}, o);
  for (std::uint64_t i = 1; i <= 5; ++i)
    (void)exchange_one(s.port(), post_request(soap::write_envelope(account_message(1, i))));

  raw_client late(s.srv.admin_port());
  late.send(get_request("/__admin/events"));  // from the oldest kept: 1 and 2 are gone
  const std::string& lost = late.read_until("id: 5\n");
  EXPECT_NE(
      lost.find("event: events_lost\ndata: {\"count\":2,\"event\":\"events_lost\",\"first\":1,"
                "\"last\":2}"),
      std::string::npos)
      << lost;
  EXPECT_NE(lost.find("id: 3\n"), std::string::npos);

  raw_client resumed(s.srv.admin_port());
  resumed.send(get_request("/__admin/events", "Last-Event-ID: 4\r\n"));
  const std::string& after = resumed.read_until("id: 5\n");
  EXPECT_EQ(after.find("id: 4\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("events_lost"), std::string::npos) << after;

  const auto bad = exchange_one(s.srv.admin_port(), get_request("/__admin/events?after=x"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("after"), std::string::npos) << bad.body;
}

TEST(admin_streams, streams_need_the_admin_token_like_every_admin_request) {
  server_options o = with_admin_listener();
  o.admin_token = "s3cret";
  running_server s({}, o);
  for (const std::string target : {"/__admin/events", "/__admin/ledger/export"}) {
    EXPECT_EQ(exchange_one(s.srv.admin_port(), get_request(target)).status, 401) << target;
    raw_client allowed(s.srv.admin_port());
    allowed.send(get_request(target, "Authorization: Bearer s3cret\r\n"));
    const std::string& head = allowed.read_until("\r\n\r\n");
    EXPECT_EQ(head.find(" 401 "), std::string::npos) << target << ": " << head;
    EXPECT_EQ(head.rfind("HTTP/1.1 ", 0), 0u) << head;
  }
}

TEST(admin_streams, the_ledger_export_comes_whole_in_chunks) {
  responder_options eo;
  eo.ledger.keep_ids = true;
  running_server s({}, with_admin_listener(), eo);
  // 2,500 notifications: more than two pages of the stream.
  std::vector<std::string> posts;
  for (std::uint64_t first = 1; first <= 2500; first += 100)
    posts.push_back(post_request(soap::write_envelope(account_message(100, first))));
  for (const auto& r : exchange(s.port(), posts)) ASSERT_EQ(r.status, 200);

  const auto exported = exchange_one(s.srv.admin_port(), get_request("/__admin/ledger/export"));
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.content_type, "application/x-ndjson");
  EXPECT_EQ(count_of(exported.body, "\n"), 2500);
  const auto first_line = json::parse(exported.body.substr(0, exported.body.find('\n')));
  EXPECT_EQ(first_line["id"], soap::make_id("04l", 1));
  const auto last_line = exported.body.substr(exported.body.rfind('\n', exported.body.size() - 2));
  EXPECT_EQ(json::parse(last_line)["id"], soap::make_id("04l", 2500));

  // Without kept values the record listing is refused, on the socket as in handle_admin.
  EXPECT_EQ(exchange_one(s.srv.admin_port(), get_request("/__admin/ledger/records")).status, 409);
}

}  // namespace
}  // namespace outbound::mock_endpoint
