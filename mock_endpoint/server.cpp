// The listener: binding, the accept loop, refuse windows (the acceptor is closed while one is
// open, so clients really get ECONNREFUSED) and the TLS contexts. Connections are served in
// connection.cpp.
#include "mock_endpoint/server.hpp"

#include "mock_endpoint/server_impl.hpp"

#include <openssl/crypto.h>

#include <algorithm>

namespace outbound::mock_endpoint {

using detail::server_impl;

server::server(boost::asio::io_context& io, responder& ep, const outbound::clock& clock,
               server_options options)
    : impl_(std::make_shared<server_impl>(io, ep, clock, std::move(options))) {}

server::~server() = default;

void server::start() {
  impl_->start(impl_);
}

void server::stop() {
  boost::asio::post(impl_->io, [self = impl_] { self->stop_now(self); });
}

std::uint16_t server::port() const {
  return impl_->bound.port();
}

std::string server::url() const {
  const auto address = impl_->bound.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return std::string(impl_->options.tls ? "https://" : "http://") + host + ":" +
         std::to_string(port());
}

bool server::admin_enabled() const {
  return impl_->admin_enabled;
}

std::uint16_t server::admin_port() const {
  return impl_->admin_acceptor ? impl_->admin_bound.port() : 0;
}

std::string server::admin_url() const {
  if (!impl_->admin_acceptor) return {};
  const auto address = impl_->admin_bound.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return "http://" + host + ":" + std::to_string(admin_port());
}

std::mutex& server::mutex() {
  return impl_->mutex;
}

namespace detail {

namespace {

asio::ip::address parse_host(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  return asio::ip::make_address(host);  // throws std::system_error for anything else
}

std::unique_ptr<ssl::context> make_context(const std::string& cert, const std::string& key,
                                           const std::string& client_ca) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::single_dh_use);
  ctx->use_certificate_chain(asio::buffer(cert));
  ctx->use_private_key(asio::buffer(key), ssl::context::pem);
  if (!client_ca.empty()) {
    ctx->add_certificate_authority(asio::buffer(client_ca));
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
  return ctx;
}

}  // namespace

server_impl::server_impl(asio::io_context& io_, responder& ep_, const outbound::clock& clock_,
                         server_options options_)
    : io(io_),
      ep(ep_),
      clock(clock_),
      options(std::move(options_)),
      events(options.event_ring_size) {}

void server_impl::make_tls_contexts() {
  const tls_settings& t = *options.tls;
  good = make_context(t.certificate_pem, t.private_key_pem, t.client_ca_pem);
  // Certificates for the TLS faults, valid (or expired) around the injected clock's time.
  const time_point now = clock.now();
  const auto day = std::chrono::hours(24);
  std::vector<std::string> hosts{"localhost", "127.0.0.1", "::1"};
  const std::string bound_host = bound.address().to_string();
  if (std::find(hosts.begin(), hosts.end(), bound_host) == hosts.end()) hosts.push_back(bound_host);
  const net::pem_identity stranger =
      net::make_certificate_authority("outbound mock untrusted CA", now - day, now + 3650 * day);
  const net::pem_identity fault_ca =
      t.fault_ca.empty()
          ? net::make_certificate_authority("outbound mock fault CA", now - day, now + 3650 * day)
          : t.fault_ca;
  auto leaf = [&](const net::pem_identity& ca, const std::vector<std::string>& names,
                  time_point from, time_point to) {
    const net::pem_identity id = net::issue_certificate(ca, names, from, to);
    return make_context(id.certificate + ca.certificate, id.private_key, {});
  };
  untrusted = leaf(stranger, hosts, now - day, now + 3650 * day);
  wrong_host = leaf(fault_ca, {"wrong-host.invalid"}, now - day, now + 3650 * day);
  expired = leaf(fault_ca, hosts, now - 30 * day, now - day);
  // The usual certificate, but clients must present one issued by a CA only the mock knows.
  const net::pem_identity client_ca =
      net::make_certificate_authority("outbound mock client CA", now - day, now + 3650 * day);
  client_certificate_required =
      make_context(t.certificate_pem, t.private_key_pem, client_ca.certificate);
}

std::shared_ptr<tcp::acceptor> server_impl::make_acceptor(const tcp::endpoint& at) {
  auto a = std::make_shared<tcp::acceptor>(io);
  a->open(at.protocol());
  a->set_option(asio::socket_base::reuse_address(true));
  if (at.protocol() == tcp::v6()) a->set_option(asio::ip::v6_only(true));
  a->bind(at);
  a->listen(asio::socket_base::max_listen_connections);
  return a;
}

void server_impl::open_acceptor(const tcp::endpoint& at) {
  acceptor = make_acceptor(at);
  bound = acceptor->local_endpoint();
}

void server_impl::start(const std::shared_ptr<server_impl>& self) {
  const asio::ip::address address = parse_host(options.host);
  admin_enabled = address.is_loopback() || !options.admin_token.empty();
  std::optional<asio::ip::address> admin_address;
  if (options.admin) admin_address = parse_host(options.admin->host);  // before binding anything
  open_acceptor(tcp::endpoint(address, options.port));
  if (admin_address) {
    admin_listener_enabled = admin_address->is_loopback() || !options.admin_token.empty();
    admin_acceptor = make_acceptor(tcp::endpoint(*admin_address, options.admin->port));
    admin_bound = admin_acceptor->local_endpoint();
    asio::co_spawn(io, accept_loop(self, admin_acceptor, true), asio::detached);
  }
  if (options.tls) make_tls_contexts();
  asio::co_spawn(io, accept_loop(self, acceptor), asio::detached);
  asio::co_spawn(io, supervise_refusals(self), asio::detached);
}

void server_impl::answered(const request_log_entry& e) {
  const std::string_view fault =
      e.answer == "faulted" || e.answer == "nacked"
          ? (e.faults.empty() ? std::string_view{} : to_string(e.faults.front()))
          : std::string_view{};
  {
    std::scoped_lock lock(mutex);
    ep.responses().add(e.status, e.answer, fault, e.took);
  }
  events.add_request(e);
  wake_event_streams();
  if (options.log && options.log_as != log_format::quiet)
    options.log(format_request_line(e, options.log_as));
}

void server_impl::connection_faulted(const request_log_entry& e) {
  events.add_request(e);
  wake_event_streams();
  if (options.log && options.log_as != log_format::quiet)
    options.log(format_request_line(e, options.log_as));
}

void server_impl::wake_event_streams() {
  for (asio::steady_timer* t : event_waiters) t->cancel();
}

bool server_impl::token_matches(std::string_view authorization) const {
  const std::string expected = "Bearer " + options.admin_token;
  return authorization.size() == expected.size() &&
         CRYPTO_memcmp(authorization.data(), expected.data(), expected.size()) == 0;
}

void server_impl::stop_now(const std::shared_ptr<server_impl>& self) {
  stopped = true;
  boost::system::error_code ec;
  if (acceptor) acceptor->close(ec);
  if (admin_acceptor) admin_acceptor->close(ec);
  if (refuse_timer) refuse_timer->cancel();
  bool streams = false;
  for (auto& [id, c] : live) {
    c.timer->cancel();
    streams = streams || c.streaming;
    if (!c.streaming) c.socket->close(ec);  // a stream ends its body itself, then closes
  }
  if (!streams || grace_timer) return;
  // A watcher that does not read could hold a stream's last write: it gets a moment, no more.
  grace_timer = std::make_unique<asio::steady_timer>(io, stream_grace);
  grace_timer->async_wait([weak = std::weak_ptr<server_impl>(self)](boost::system::error_code e) {
    auto s = weak.lock();
    if (e || !s) return;
    boost::system::error_code ignored;
    for (auto& [id, c] : s->live) c.socket->close(ignored);
  });
}

asio::awaitable<void> server_impl::accept_loop(std::shared_ptr<server_impl> self,
                                               std::shared_ptr<tcp::acceptor> a, bool admin_only) {
  asio::steady_timer backoff(io);
  while (!stopped && a->is_open()) {
    auto [ec, socket] = co_await a->async_accept(use_tuple);
    if (ec) {
      if (stopped || !a->is_open()) break;
      // Out of descriptors and the like: let connections end before accepting again.
      backoff.expires_after(std::chrono::milliseconds(10));
      co_await backoff.async_wait(use_tuple);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (admin_only) {
      asio::co_spawn(io, admin_connection(self, std::move(socket)), asio::detached);
    } else {
      asio::co_spawn(io, connection(self, std::move(socket)), asio::detached);
    }
  }
}

// Fault windows opening and closing, as the supervisor's tick sees them: logged and published.
void server_impl::log_window_changes() {
  std::vector<std::string> now_open;
  {
    std::scoped_lock lock(mutex);
    now_open = ep.open_windows(clock.now());
  }
  if (now_open == open_windows) return;
  const time_point at = clock.now();
  auto changed = [&](const std::string& w, bool opened) {
    events.add_window(at, opened, w);
    if (options.log) options.log(format_window_line(at, opened, w, options.log_as));
  };
  for (const auto& w : open_windows)
    if (std::find(now_open.begin(), now_open.end(), w) == now_open.end()) changed(w, false);
  for (const auto& w : now_open)
    if (std::find(open_windows.begin(), open_windows.end(), w) == open_windows.end())
      changed(w, true);
  open_windows = std::move(now_open);
  wake_event_streams();
}

void server_impl::close_overdue_connections() {
  const auto now = std::chrono::steady_clock::now();
  boost::system::error_code ignored;
  for (auto& [id, c] : live)
    if (c.deadline <= now) c.socket->close(ignored);
}

asio::awaitable<void> server_impl::supervise_refusals(std::shared_ptr<server_impl> self) {
  asio::steady_timer timer(io);
  refuse_timer = &timer;
  const tcp::endpoint at = bound;
  while (!stopped) {
    log_window_changes();
    close_overdue_connections();
    responder::refusal r;
    {
      std::scoped_lock lock(mutex);
      r = ep.refusal_at(clock.now());
    }
    const bool listening = acceptor && acceptor->is_open();
    if (r.refusing && listening) {
      boost::system::error_code ec;
      acceptor->close(ec);
      // A listener that goes down takes its connections with it: a client that kept one alive
      // must not go on being served through the outage (the virtual model drops them too).
      for (auto& [id, c] : live)
        if (!c.admin) c.socket->close(ec);
      std::scoped_lock lock(mutex);
      ep.count_refusal(clock.now());
    } else if (!r.refusing && !listening) {
      try {
        open_acceptor(at);
        asio::co_spawn(io, accept_loop(self, acceptor), asio::detached);
      } catch (const std::system_error&) {
        // The port is taken for now; try again at the next tick.
      }
    }
    timer.expires_after(options.refuse_poll);
    co_await timer.async_wait(use_tuple);
  }
  refuse_timer = nullptr;
}

}  // namespace detail
}  // namespace outbound::mock_endpoint
