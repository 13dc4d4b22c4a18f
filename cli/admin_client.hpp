#pragma once
// The admin API of a running `outbound mock`, as `outbound mock-ctl` calls it: the base URL (the
// admin listener, or the main port) parsed once by the sender's parser, the token from a file or
// the environment, and requests through the sender's HTTP connection: no second client.
//   admin_client c(admin_client::settings{.url = url});
//   nlohmann::json ledger = c.call_json("GET", "ledger");
//   c.stream("events", std::nullopt, [](const sender::http_response&, std::string_view d) {...});

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/duration.hpp"
#include "sender/http_connection.hpp"
#include "sender/transport.hpp"

namespace outbound::cli {

struct admin_reply {
  int status = 0;
  std::string body;
};

class admin_client {
 public:
  struct settings {
    std::string url;              // --admin
    std::string token_file;       // --token-file; else $OUTBOUND_ADMIN_TOKEN
    std::string timeout = "10s";  // --request-timeout, of each request
  };
  // The mock could not be reached, or refused the step: exit 1 with this message.
  struct unreachable : std::runtime_error {
    using std::runtime_error::runtime_error;
  };

  // Throws input_error (exit 2) for a bad URL, token file or timeout, before any request.
  explicit admin_client(const settings& s);

  // METHOD /__admin/WHAT; throws unreachable when no answer came.
  admin_reply call(std::string_view method, std::string_view what, const std::string& body = {});
  // The same, for a 200 with a JSON body; anything else throws unreachable.
  nlohmann::json call_json(std::string_view method, std::string_view what,
                           const std::string& body = {});
  // GET /__admin/WHAT with its body handed to `sink` as it arrives (the sender's streaming
  // exchange); `deadline` bounds it all (none: until the body ends or `sink` says stop).
  // `extra_headers` are whole lines ("Last-Event-ID: 7\r\n"). The transport's result, also
  // when it failed: the caller words a timeout as it means it.
  sender::attempt_result stream(std::string_view what, std::optional<duration> deadline,
                                const sender::http_connection::body_sink& sink,
                                const std::string& extra_headers = {});

  const sender::destination& base() const { return base_; }
  // "GET /__admin/ledger" as this client sends it, for messages.
  std::string describe(std::string_view method, std::string_view what) const;

 private:
  std::string head(std::string_view method, std::string_view what, std::size_t body_size,
                   const std::string& extra_headers) const;

  sender::destination base_;
  std::string token_;
  duration timeout_;
  std::string prefix_;
};

// Runs a step with exit 1 (and its message on stderr) when the mock cannot be reached.
int run_against_mock(const admin_client::settings& s,
                     const std::function<int(admin_client&)>& step);

}  // namespace outbound::cli
