// The connection pools of the HTTP transport. Each pool (scheme, host, port) has at most
// max_connections connections; each busy connection is one coroutine that serves requests until
// none is waiting, then parks its connection in the idle list for the next send().
// GCC 12 reports a false -Wmismatched-new-delete for Asio coroutine frames (allocated and freed
// by the same awaitable_frame_base operators).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#include "sender/http_transport.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <deque>
#include <unordered_map>
#include <vector>

#include "common/input_error.hpp"
#include "sender/connection_watch.hpp"
#include "sender/destination.hpp"
#include "sender/http_connection.hpp"

namespace outbound::sender {
namespace asio = boost::asio;

namespace {

struct job {
  std::string head;  // request line and headers, ready to write
  std::string body;
  duration timeout;
  std::function<void(attempt_result)> done;
  // Elapsed times are differences, measured on a monotonic clock: the wall clock may step.
  std::chrono::steady_clock::time_point started;
};

struct pool {
  destination ep;
  std::size_t open = 0;  // idle connections plus running serve() coroutines
  std::vector<std::unique_ptr<http_connection>> idle;  // most recently used last
  // At most max_connections, so a vector: a set allocated a node per request.
  std::vector<http_connection*> busy;
  void busy_with(http_connection* c) { busy.push_back(c); }
  void done_with(http_connection* c) { std::erase(busy, c); }
  std::deque<job> waiting;
  // serve() coroutines inside a callback: each takes a waiting job next (see send()).
  std::size_t handing_back = 0;
  // The head of the last target sent to (the pool's endpoints may differ in their path only).
  std::string head_target;
  std::string head_prefix;
};

// Whether `to` connects where `p` does: pool_key's parts, compared without building the key.
bool same_pool(const pool& p, const destination& to) {
  return p.ep.tls == to.tls && p.ep.port == to.port && p.ep.host == to.host;
}

// The request line and headers up to the Content-Length value, the same for every request to
// one target.
std::string request_head_prefix(const destination& ep, const std::string& agent) {
  std::string head;
  head.reserve(200 + ep.target.size());
  head += "POST ";
  head += ep.target;
  head += " HTTP/1.1\r\nHost: ";
  head += host_header(ep);
  head += "\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"\"\r\nUser-Agent: ";
  head += agent;
  head += "\r\nContent-Length: ";
  return head;
}

std::unique_ptr<asio::ssl::context> make_tls_context(const http_transport_options& o) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3);
  boost::system::error_code ec;
  if (!o.ca_file.empty()) {
    ctx->load_verify_file(o.ca_file, ec);
    if (ec) throw input_error(o.ca_file, "--ca-file", "a PEM file of CA certificates");
  }
  if (!o.ca_pem.empty()) {
    ctx->add_certificate_authority(asio::buffer(o.ca_pem), ec);
    if (ec) throw input_error("ca_pem", "", "PEM CA certificates");
  }
  if (o.client_cert_file.empty() != o.client_key_file.empty())
    throw input_error(o.client_cert_file.empty() ? o.client_key_file : o.client_cert_file,
                      "--client-cert/--client-key", "both a client certificate and its key");
  if (!o.client_cert_file.empty()) {
    ctx->use_certificate_chain_file(o.client_cert_file, ec);
    if (ec) throw input_error(o.client_cert_file, "--client-cert", "a PEM certificate (chain)");
    ctx->use_private_key_file(o.client_key_file, asio::ssl::context::pem, ec);
    if (ec)
      throw input_error(o.client_key_file, "--client-key",
                        "the PEM private key of the certificate");
  }
  ctx->set_verify_mode(o.verify_peer ? asio::ssl::verify_peer : asio::ssl::verify_none);
  return ctx;
}

}  // namespace

struct http_transport::impl : std::enable_shared_from_this<http_transport::impl> {
  impl(asio::io_context& io, http_transport_options o)
      : io_(io),
        options_(std::move(o)),
        tls_(make_tls_context(options_)),
        watch_(io.get_executor()) {
    if (options_.max_connections == 0) options_.max_connections = 1;
  }

  // The system's CA bundle, read when the first https connection needs it: parsing it takes
  // tens of milliseconds that a run over plain http would spend before its first delivery.
  // (The user's own PEM files are read in the constructor, so that a bad one is refused
  // before anything else happens.)
  asio::ssl::context* tls_context() {
    if (!default_paths_loaded_ && options_.ca_file.empty() && options_.ca_pem.empty()) {
      boost::system::error_code ignored;  // without a system bundle nothing verifies: reported
      tls_->set_default_verify_paths(ignored);  // per connection as an untrusted chain
    }
    default_paths_loaded_ = true;
    return tls_.get();
  }

  void send(const destination& to, std::string body, duration timeout,
            std::function<void(attempt_result)> done) {
    ++stats_.requests;
    const auto started = std::chrono::steady_clock::now();
    // Most sends go where the last one went: no key built, no map searched.
    if (!last_pool_ || !same_pool(*last_pool_, to)) {
      auto& p = pools_[pool_key(to)];
      if (!p) {
        p = std::make_shared<pool>();
        p->ep = to;
      }
      last_pool_ = p;
    }
    const std::shared_ptr<pool>& p = last_pool_;
    if (p->head_prefix.empty() || p->head_target != to.target) {
      p->head_target = to.target;
      p->head_prefix = request_head_prefix(to, options_.user_agent);
    }
    std::string head;
    head.reserve(p->head_prefix.size() + 24);
    head += p->head_prefix;
    head += std::to_string(body.size());
    head += "\r\n\r\n";
    job j{std::move(head), std::move(body), timeout, std::move(done), started};
    // Sent from a callback whose connection is about to be free (the load generator's next
    // message, the engine refilling its window): that connection takes it, with no coroutine
    // spawned and no idle connection woken.
    if (p->handing_back > p->waiting.size()) {
      p->waiting.push_back(std::move(j));
    } else if (!p->idle.empty()) {
      auto c = std::move(p->idle.back());
      p->idle.pop_back();
      spawn(p, std::move(j), std::move(c));
    } else if (p->open < options_.max_connections) {
      ++p->open;
      spawn(p, std::move(j), nullptr);
    } else {
      p->waiting.push_back(std::move(j));
    }
  }

  void spawn(std::shared_ptr<pool> p, job j, std::unique_ptr<http_connection> c) {
    asio::co_spawn(io_, serve(shared_from_this(), std::move(p), std::move(j), std::move(c)),
                   asio::detached);
  }

  // Serves `j`, then whatever waits, on one connection slot of `p`.
  asio::awaitable<void> serve(std::shared_ptr<impl> self, std::shared_ptr<pool> p, job j,
                              std::unique_ptr<http_connection> c) {
    (void)self;  // keeps the transport's state alive while the coroutine runs
    for (;;) {
      attempt_result r = co_await attempt(*p, j, c);
      if (stopped_) co_return;
      ++p->handing_back;
      finish(std::move(j), std::move(r));
      --p->handing_back;
      if (stopped_) co_return;  // the callback stopped the transport
      if (p->waiting.empty()) {
        if (c)
          p->idle.push_back(std::move(c));
        else
          --p->open;
        co_return;
      }
      j = std::move(p->waiting.front());
      p->waiting.pop_front();
    }
  }

  // One request on `c` (opened first if null); `c` is reset when it cannot be used again.
  asio::awaitable<attempt_result> attempt(pool& p, const job& j,
                                          std::unique_ptr<http_connection>& c) {
    bool retried = false;
    for (;;) {
      bool fresh = !c;
      if (fresh) {
        c = std::make_unique<http_connection>(io_.get_executor(),
                                              p.ep.tls ? tls_context() : nullptr, &watch_);
        p.busy_with(c.get());
        attempt_result r = co_await c->connect(p.ep, options_.connect_timeout, j.timeout);
        p.done_with(c.get());
        if (stopped_) co_return r;
        if (r.error != transport_error::none) {
          c.reset();
          co_return r;
        }
        ++stats_.connections_opened;
      } else {
        ++stats_.reused;
      }
      p.busy_with(c.get());
      attempt_result r = co_await c->exchange(j.head, j.body, j.timeout, options_.body_limit);
      p.done_with(c.get());
      if (stopped_) co_return r;
      // A kept-alive connection the server dropped while idle: resend once on a new one.
      if (!fresh && !retried && c->stale()) {
        c.reset();
        retried = true;
        ++stats_.stale_retries;
        continue;
      }
      if (!c->reusable()) c.reset();
      co_return r;
    }
  }

  // Called from serve(), never from inside send(): a coroutine starts on a later turn of the loop.
  void finish(job j, attempt_result r) {
    r.elapsed = std::chrono::duration_cast<duration>(std::chrono::steady_clock::now() - j.started);
    j.done(std::move(r));
  }

  void stop() {
    stopped_ = true;
    for (auto& [key, p] : pools_) {
      for (auto* c : p->busy) c->close();
      p->idle.clear();
      p->waiting.clear();
    }
  }

  asio::io_context& io_;
  http_transport_options options_;
  std::unique_ptr<asio::ssl::context> tls_;
  bool default_paths_loaded_ = false;
  connection_watch watch_;  // before the pools: it outlives their connections
  std::unordered_map<std::string, std::shared_ptr<pool>> pools_;
  std::shared_ptr<pool> last_pool_;  // the pool of the last send()
  http_transport_stats stats_;
  bool stopped_ = false;
};

http_transport::http_transport(asio::io_context& io, http_transport_options options)
    : impl_(std::make_shared<impl>(io, std::move(options))) {}

http_transport::~http_transport() {
  impl_->stop();
}

void http_transport::send(const destination& to, std::string body, duration timeout,
                          std::function<void(attempt_result)> done) {
  impl_->send(to, std::move(body), timeout, std::move(done));
}

http_transport_stats http_transport::stats() const {
  return impl_->stats_;
}

std::size_t http_transport::open_connections(const destination& to) const {
  auto it = impl_->pools_.find(pool_key(to));
  return it == impl_->pools_.end() ? 0 : it->second->open;
}

std::size_t http_transport::waiting(const destination& to) const {
  auto it = impl_->pools_.find(pool_key(to));
  return it == impl_->pools_.end() ? 0 : it->second->waiting.size();
}

}  // namespace outbound::sender
