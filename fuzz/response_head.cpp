// sender::read_response_head: how the sender and the load generator read a listener's answer.
// Wherever it reads a head (and the body is there), Beast's parser must read the same message
// from the same bytes: the status, reason, Content-Type, Retry-After, body and keep-alive; and
// wherever it waits for more, Beast must find no error in the bytes so far.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "fuzz/fuzz_input.hpp"
#include "sender/response_head.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  namespace http = boost::beast::http;
  constexpr std::size_t limit = 1 << 20;
  const std::string_view in = fuzz::text(data, size);
  const auto h = sender::read_response_head(in, limit);
  http::response_parser<http::string_body> p;
  p.body_limit(limit);
  p.eager(true);
  std::size_t used = 0;
  if (h.outcome == sender::head_outcome::incomplete) {  // then Beast finds no error yet either
    while (!p.is_done() && used < in.size()) {
      boost::beast::error_code ec;
      const std::size_t n = p.put(boost::asio::buffer(in.data() + used, in.size() - used), ec);
      fuzz::require(!ec || ec == http::error::need_more, "no error where the reader waits");
      if (n == 0) break;
      used += n;
    }
    return 0;
  }
  if (h.outcome != sender::head_outcome::complete) return 0;
  const std::size_t total = h.head.size + h.head.content_length;
  if (in.size() < total) return 0;
  while (!p.is_done() && used < total) {
    boost::beast::error_code ec;
    const std::size_t n = p.put(boost::asio::buffer(in.data() + used, total - used), ec);
    fuzz::require(!ec || (ec == http::error::need_more && n > 0), "Beast reads what it read");
    used += n;
  }
  fuzz::require(p.is_done() && used == total, "Beast reads a message of the same length");
  const auto& m = p.get();
  fuzz::require(m.result_int() == static_cast<unsigned>(h.head.status), "the same status");
  fuzz::require(m.reason() == h.head.reason, "the same reason");
  fuzz::require(m[http::field::content_type] == h.head.content_type, "the same Content-Type");
  fuzz::require(m[http::field::retry_after] == h.head.retry_after, "the same Retry-After");
  fuzz::require(m.body() == in.substr(h.head.size, h.head.content_length), "the same body");
  fuzz::require((m.keep_alive() && !p.need_eof()) == h.head.keep_alive, "the same keep-alive");
  return 0;
}
