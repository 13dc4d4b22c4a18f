// The admin API's streams: GET /__admin/events (server-sent events) and the ledger's listings
// (JSON lines), written in chunks as they are made, so that a watcher never holds up the main
// port or another admin request, and a ledger of millions is never one string in memory.
// GCC 12 reports a false -Wmismatched-new-delete for Asio coroutine frames.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include <fmt/format.h>

#include "mock_endpoint/server_impl.hpp"

namespace outbound::mock_endpoint::detail {
namespace {

// One chunk of a chunked body (RFC 9112 7.1); never empty, which would end the body.
std::string chunk(std::string_view data) {
  return fmt::format("{:x}\r\n", data.size()) + std::string(data) + "\r\n";
}

constexpr std::string_view last_chunk = "0\r\n\r\n";
constexpr std::size_t page_lines = 1000;
constexpr std::size_t batch_events = 500;

}  // namespace

asio::awaitable<void> server_impl::stream_events(stream_write write, asio::steady_timer& timer,
                                                 std::uint64_t after) {
  const http_reply head{200,
                        "",
                        "text/event-stream; charset=utf-8",
                        {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}},
                        {}};
  // A comment first: the client knows the stream is up before any event happens.
  if (!co_await write(serialize_chunked_head(head) + chunk(": outbound mock events\n\n"),
                      options.write_timeout))
    co_return;
  std::uint64_t last = after;
  while (!stopped) {
    const event_batch batch = events.after(last, batch_events);
    if (!batch.text.empty()) {
      last = batch.last;
      if (!co_await write(chunk(batch.text), options.write_timeout)) co_return;
      continue;
    }
    // Nothing new: wait for an event (wake_event_streams cancels the timer), the keep-alive
    // interval, or stop() (which cancels it too).
    timer.expires_after(options.events_keepalive);
    event_waiters.insert(&timer);
    auto [ec] = co_await timer.async_wait(use_tuple);
    event_waiters.erase(&timer);
    if (!ec && !stopped && !co_await write(chunk(": keep-alive\n\n"), options.write_timeout))
      co_return;
  }
  // The mock stops: what is left, a goodbye and the end of the body, each given a moment only.
  constexpr auto moment = std::chrono::seconds(1);
  const event_batch rest = events.after(last, static_cast<std::size_t>(-1));
  std::string goodbye = rest.text.empty() ? std::string() : chunk(rest.text);
  goodbye += chunk(stopped_event(clock.now()));
  goodbye += last_chunk;
  co_await write(goodbye, moment);
}

asio::awaitable<void> server_impl::stream_listing(stream_write write, admin_stream which) {
  std::size_t end = 0;
  std::uint64_t resets = 0;
  std::optional<std::string> unavailable;
  {
    std::scoped_lock lock(mutex);
    unavailable = listing_unavailable(ep, which);
    end = listing_size(ep, which);
    resets = ep.resets();
  }
  if (unavailable) {
    const http_reply r{409, "", "application/json", {}, admin_error_body(*unavailable)};
    co_await write(serialize_head(r, r.body.size(), false) + r.body, options.write_timeout);
    co_return;
  }
  const http_reply head{200, "", "application/x-ndjson", {}, {}};
  if (!co_await write(serialize_chunked_head(head), options.write_timeout)) co_return;
  for (std::size_t from = 0; from < end && !stopped;) {
    listing_page page;
    {
      std::scoped_lock lock(mutex);
      if (ep.resets() != resets) co_return;  // cut short: no last chunk
      page = listing(ep, which, from, end, page_lines);
    }
    if (page.next == from) break;
    from = page.next;
    if (!co_await write(chunk(page.text), options.write_timeout)) co_return;
  }
  if (stopped) co_return;  // also cut short: the listing is not whole
  co_await write(last_chunk, options.write_timeout);
}

}  // namespace outbound::mock_endpoint::detail
