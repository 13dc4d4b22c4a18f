// GCC 12 reports a false -Wmismatched-new-delete for Asio coroutine frames.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include "cli/admin_client.hpp"

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <cstdlib>

#include "cli/commands.hpp"
#include "cli/option_files.hpp"
#include "common/input_error.hpp"
#include "common/json_text.hpp"
#include "sender/destination.hpp"

namespace outbound::cli {
namespace {

std::string token_of(const admin_client::settings& s) {
  if (!s.token_file.empty()) {
    std::string t = read_option_file(s.token_file, "--token-file");
    return t.substr(0, t.find_first_of("\r\n"));
  }
  const char* env = std::getenv("OUTBOUND_ADMIN_TOKEN");
  return env ? std::string(env) : std::string();
}

// Runs one exchange on a connection of its own to `to`.
template <class Exchange>
sender::attempt_result on_new_connection(const sender::destination& to, duration connect_timeout,
                                         Exchange exchange) {
  boost::asio::io_context io;
  sender::connection_watch watch(io.get_executor());
  sender::http_connection connection(io.get_executor(), nullptr, &watch);
  sender::attempt_result result;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        result = co_await connection.connect(to, connect_timeout, connect_timeout);
        if (result.error == sender::transport_error::none) result = co_await exchange(connection);
        io.stop();  // done: the watch's last tick need not be waited for
      },
      boost::asio::detached);
  io.run();
  return result;
}

}  // namespace

admin_client::admin_client(const settings& s)
    : base_(sender::parse_destination(s.url, "--admin", "URL")),
      token_(token_of(s)),
      timeout_(duration_option(s.timeout, "--request-timeout")) {
  if (base_.tls)
    throw input_error("--admin", "",
                      "an http:// URL (the admin listener, printed as \"admin on URL\"), got \"" +
                          shorten_value(s.url) + "\"");
  prefix_ = base_.target.substr(0, base_.target.find('?'));
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  if (!prefix_.ends_with("/__admin")) prefix_ += "/__admin";
}

std::string admin_client::describe(std::string_view method, std::string_view what) const {
  return fmt::format("{} {}/{}", method, prefix_, what);
}

std::string admin_client::head(std::string_view method, std::string_view what,
                               std::size_t body_size, const std::string& extra_headers) const {
  std::string h = fmt::format("{} {}/{} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", method,
                              prefix_, what, sender::host_header(base_));
  if (!token_.empty()) h += "Authorization: Bearer " + token_ + "\r\n";
  if (body_size > 0) h += "Content-Type: application/json\r\n";
  h += extra_headers;
  h += fmt::format("Content-Length: {}\r\n\r\n", body_size);
  return h;
}

admin_reply admin_client::call(std::string_view method, std::string_view what,
                               const std::string& body) {
  const std::string h = head(method, what, body.size(), {});
  const sender::attempt_result result = on_new_connection(
      base_, timeout_,
      [&](sender::http_connection& c) { return c.exchange(h, body, timeout_, 64u << 20); });
  if (result.error != sender::transport_error::none)
    throw unreachable(fmt::format("cannot reach the admin API at {}: {}", base_.url,
                                  result.detail.empty() ? "no answer" : result.detail));
  return {result.response.status, result.response.body};
}

nlohmann::json admin_client::call_json(std::string_view method, std::string_view what,
                                       const std::string& body) {
  const admin_reply r = call(method, what, body);
  if (r.status != 200)
    throw unreachable(fmt::format("{} answered {}: {}", describe(method, what), r.status,
                                  shorten_value(r.body, 300)));
  try {
    return parse_json(r.body, base_.url);
  } catch (const input_error& e) {
    throw unreachable(
        fmt::format("{} answered what is not JSON: {}", describe(method, what), e.what()));
  }
}

sender::attempt_result admin_client::stream(std::string_view what, std::optional<duration> deadline,
                                            const sender::http_connection::body_sink& sink,
                                            const std::string& extra_headers) {
  const std::string h = head("GET", what, 0, extra_headers);
  return on_new_connection(
      base_, deadline ? std::min(*deadline, timeout_) : timeout_,
      [&](sender::http_connection& c) { return c.exchange_streaming(h, {}, deadline, sink); });
}

int run_against_mock(const admin_client::settings& s,
                     const std::function<int(admin_client&)>& step) {
  admin_client c(s);  // bad options are input errors (exit 2) before any request
  try {
    return step(c);
  } catch (const admin_client::unreachable& e) {
    fmt::print(stderr, "outbound mock-ctl: {}\n", e.what());
    return 1;
  }
}

}  // namespace outbound::cli
