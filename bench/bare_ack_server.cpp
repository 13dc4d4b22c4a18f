// The baseline of the bench/ scripts: the least a SOAP listener can do with Beast and pugixml
// (read the request, parse its body in place, answer a pre-serialized ack, TCP_NODELAY, heap
// kept), on one thread like the mock. Without --deadline it keeps no timer at all: the leanest
// honest listener; with --deadline it also arms a per-request deadline, as the mock (and any
// listener that must not hang on a silent client) does.
//   bare_ack_server [--deadline] [PORT]   prints "listening on http://127.0.0.1:PORT", stops on
//                                         SIGINT/SIGTERM
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <pugixml.hpp>

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

const std::string ack_body =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">)"
    R"(<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">)"
    R"(<Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>)";

bool with_deadline = false;

asio::awaitable<void> session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  // Beast reads at most the buffer's free capacity (512 bytes at first) per system call: room
  // for a 100-notification envelope makes that one read instead of a hundred.
  buffer.reserve(64 * 1024);
  const std::string ok_head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n"
      "Content-Length: " +
      std::to_string(ack_body.size()) + "\r\n\r\n";
  const std::string bad_head = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(10 * 1024 * 1024);
    if (with_deadline) stream.expires_after(std::chrono::seconds(60));
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (ec) break;
    auto& body = parser.get().body();
    pugi::xml_document doc;
    const bool parsed = doc.load_buffer_inplace(body.data(), body.size());
    const std::array<asio::const_buffer, 2> answer{
        asio::buffer(parsed ? ok_head : bad_head),
        asio::buffer(parsed ? std::string_view(ack_body) : std::string_view())};
    auto [wec, wn] = co_await asio::async_write(stream, answer, use_tuple);
    if (wec || !parser.get().keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec) co_return;
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Each request's pugixml document takes a 32 KB page from the top of the heap and gives it
  // back; with glibc's default trim threshold that grows and shrinks the heap (brk, page faults)
  // on every request and costs this baseline half its speed. A real listener keeps its heap.
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  mallopt(M_TOP_PAD, 1024 * 1024);
  asio::io_context io(1);
  int arg = 1;
  if (arg < argc && std::string_view(argv[arg]) == "--deadline") {
    with_deadline = true;
    ++arg;
  }
  const auto port = static_cast<unsigned short>(arg < argc ? std::atoi(argv[arg]) : 0);
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  std::printf("listening on http://127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { io.stop(); });
  asio::co_spawn(io, listen(acceptor), asio::detached);
  io.run();
  return 0;
}
