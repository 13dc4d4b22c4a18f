// The in-place response head reader: the common shapes, what it leaves to Beast, and agreement
// with Beast's parser wherever it reads a head (every one-byte change of the common answers).
#include "sender/response_head.hpp"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <vector>

namespace outbound::sender {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t limit = 1 << 20;

head_outcome outcome_of(std::string_view bytes, std::size_t body_limit = limit) {
  return read_response_head(bytes, body_limit).outcome;
}

const std::string ack_body =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
    "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
    "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack>"
    "</notificationsResponse></soapenv:Body></soapenv:Envelope>";

std::string response(std::string head_fields, const std::string& body = ack_body,
                     std::string status_line = "HTTP/1.1 200 OK") {
  return status_line + "\r\n" + head_fields + "Content-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

TEST(response_head, reads_the_common_answer_in_place) {
  const std::string r = response("Content-Type: text/xml; charset=utf-8\r\n");
  const auto h = read_response_head(r, limit);
  ASSERT_EQ(h.outcome, head_outcome::complete);
  EXPECT_EQ(h.head.status, 200);
  EXPECT_EQ(h.head.reason, "OK");
  EXPECT_EQ(h.head.content_type, "text/xml; charset=utf-8");
  EXPECT_EQ(h.head.retry_after, "");
  EXPECT_EQ(h.head.content_length, ack_body.size());
  EXPECT_EQ(r.substr(h.head.size), ack_body);
  EXPECT_TRUE(h.head.keep_alive);
}

TEST(response_head, reads_retry_after_case_insensitive_names_and_connection) {
  const std::string r =
      response("content-TYPE:text/html\r\nRetry-After:  120 \r\nConnection: Close\r\nServer: x\r\n",
               "busy", "HTTP/1.1 503 Service Unavailable");
  const auto h = read_response_head(r, limit);
  ASSERT_EQ(h.outcome, head_outcome::complete);
  EXPECT_EQ(h.head.status, 503);
  EXPECT_EQ(h.head.reason, "Service Unavailable");
  EXPECT_EQ(h.head.content_type, "text/html");
  EXPECT_EQ(h.head.retry_after, "120");
  EXPECT_FALSE(h.head.keep_alive);
  EXPECT_FALSE(read_response_head(response("", "", "HTTP/1.0 200 OK"), limit).head.keep_alive);
  EXPECT_TRUE(
      read_response_head(response("Connection: keep-alive\r\n", "", "HTTP/1.0 200 OK"), limit)
          .head.keep_alive);
}

TEST(response_head, asks_for_more_until_the_blank_line) {
  const std::string r = response("Content-Type: text/xml\r\n");
  const std::size_t head_end = r.find("\r\n\r\n") + 4;
  for (std::size_t n = 0; n < head_end; ++n)
    EXPECT_EQ(outcome_of(r.substr(0, n)), head_outcome::incomplete) << n;
  EXPECT_EQ(outcome_of(r.substr(0, head_end)), head_outcome::complete);
  // A head longer than max_head_size is Beast's (which refuses it).
  EXPECT_EQ(outcome_of("HTTP/1.1 200 OK\r\nX: " + std::string(max_head_size, 'x')),
            head_outcome::declined);
}

// Garbage goes to Beast at once, which refuses it as a protocol error: waiting for a line end
// would turn it into a close or a timeout.
TEST(response_head, hands_garbage_to_beast_before_any_line_end) {
  EXPECT_EQ(outcome_of("HTT"), head_outcome::incomplete);
  EXPECT_EQ(outcome_of("HTTP/1.1 2"), head_outcome::incomplete);
  EXPECT_EQ(outcome_of("HTTP/1.1 200 OK\r\nContent-Ty"), head_outcome::incomplete);
  EXPECT_EQ(outcome_of("<html>"), head_outcome::declined);
  EXPECT_EQ(outcome_of("HTTP/1.1 2x"), head_outcome::declined);
  EXPECT_EQ(outcome_of("HTTP/1.1 200 OK\r\nContent Type"), head_outcome::declined);
  EXPECT_EQ(outcome_of("HTTP/1.1 200 OK\r\nX: a\rb"), head_outcome::declined);
  // Beast refuses a Connection field as soon as its line ends (found by the fuzz target).
  EXPECT_EQ(outcome_of("HTTP/1.0 503 Busy\r\nConnection: @close\r\nContent"),
            head_outcome::declined);
}

// An empty buffer may have no address at all (found by UBSan: memchr's argument is nonnull).
TEST(response_head, waits_on_an_empty_buffer) {
  EXPECT_EQ(outcome_of(std::string_view()), head_outcome::incomplete);
}

TEST(response_head, leaves_every_other_shape_to_beast) {
  const char* const others[] = {
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\nuntil the close",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive, Upgrade\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Folded: a\r\n b\r\n\r\nok",
      "HTTP/1.1 200 OK\nContent-Length: 2\n\nok",
      "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
      "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 503 \r\nContent-Length: 2\r\n\r\nno",
  };
  for (const char* r : others) EXPECT_EQ(outcome_of(r), head_outcome::declined) << r;
  EXPECT_EQ(outcome_of(response(""), ack_body.size() - 1), head_outcome::declined);
}

// What Beast's parser makes of `bytes`: the message and the bytes it used when it is done, or
// whether it found an error (not merely that more must come).
struct beast_reading {
  bool done = false;
  bool refused = false;
  std::size_t used = 0;
  http::response<http::string_body> message;
  bool keep_alive = false;
};
beast_reading beast_read(std::string_view bytes) {
  http::response_parser<http::string_body> p;
  p.body_limit(limit);
  p.eager(true);
  beast_reading out;
  while (!p.is_done() && out.used < bytes.size()) {
    boost::beast::error_code ec;
    const std::size_t n =
        p.put(boost::asio::buffer(bytes.data() + out.used, bytes.size() - out.used), ec);
    if (ec && ec != http::error::need_more) {
      out.refused = true;
      return out;
    }
    if (n == 0) return out;
    out.used += n;
  }
  if (!p.is_done()) return out;
  out.done = true;
  out.keep_alive = p.get().keep_alive() && !p.need_eof();
  out.message = p.release();
  return out;
}

// Wherever this reads a head, Beast reads the same message from the same bytes; wherever it
// waits for more, Beast finds no error yet (so that a close or a timeout then is what Beast
// would report too, not a protocol error found late).
void expect_agreement(const std::string& bytes) {
  const auto h = read_response_head(bytes, limit);
  if (h.outcome == head_outcome::incomplete) {
    EXPECT_FALSE(beast_read(bytes).refused) << testing::PrintToString(bytes);
    return;
  }
  if (h.outcome != head_outcome::complete) return;
  const std::size_t total = h.head.size + h.head.content_length;
  if (bytes.size() < total) return;  // the caller reads the body first
  const beast_reading b = beast_read(std::string_view(bytes).substr(0, total));
  ASSERT_TRUE(b.done) << testing::PrintToString(bytes);
  EXPECT_EQ(b.used, total) << testing::PrintToString(bytes);
  EXPECT_EQ(b.message.result_int(), static_cast<unsigned>(h.head.status));
  EXPECT_EQ(std::string(b.message.reason()), h.head.reason) << testing::PrintToString(bytes);
  EXPECT_EQ(std::string(b.message[http::field::content_type]), h.head.content_type)
      << testing::PrintToString(bytes);
  EXPECT_EQ(std::string(b.message[http::field::retry_after]), h.head.retry_after);
  EXPECT_EQ(b.message.body(), bytes.substr(h.head.size, h.head.content_length));
  EXPECT_EQ(b.keep_alive, h.head.keep_alive) << testing::PrintToString(bytes);
}

TEST(response_head, agrees_with_beast_for_every_one_byte_change_of_the_common_answers) {
  const std::vector<std::string> seeds = {
      response("Content-Type: text/xml; charset=utf-8\r\n"),
      response("Content-Type: text/html\r\nRetry-After: 30\r\nConnection: close\r\n", "no",
               "HTTP/1.1 503 Service Unavailable"),
      response("Server: Apache-Coyote/1.1\r\nContent-Type: text/xml;charset=utf-8\r\n", "x",
               "HTTP/1.0 500 Internal Server Error"),
  };
  const std::string replacements = std::string("\0\t\n\r :;,aAzZ09\x7f\x80\xff", 18);
  std::size_t complete = 0;
  for (const auto& seed : seeds) {
    const std::size_t head_end = seed.find("\r\n\r\n") + 4;
    for (std::size_t i = 0; i < head_end + 2; ++i) {
      std::string deleted = seed;
      deleted.erase(i, 1);
      expect_agreement(deleted);
      expect_agreement(deleted.substr(0, i + 1));  // cut short after the change
      for (char c : replacements) {
        std::string replaced = seed, inserted = seed;
        replaced[i] = c;
        inserted.insert(inserted.begin() + static_cast<std::ptrdiff_t>(i), c);
        expect_agreement(replaced);
        expect_agreement(inserted);
        expect_agreement(replaced.substr(0, i + 1));
        expect_agreement(inserted.substr(0, i + 1));
        complete += outcome_of(replaced) == head_outcome::complete;
      }
    }
  }
  EXPECT_GT(complete, 100u);  // the reader does read most of them
}

}  // namespace
}  // namespace outbound::sender
