// `outbound mock-ctl replay N --to URL`: hands another listener exactly what the mock received in
// request N (Salesforce offers no replay; users ask for one). The bytes come from
// GET /__admin/requests/N/body; they go out through the sender's transport, with Salesforce's
// headers, and the answer is judged as the sender judges it (sender/verdict.hpp).
#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/mock_ctl_steps.hpp"
#include "cli/option_files.hpp"
#include "common/input_error.hpp"
#include "common/json_text.hpp"
#include "sender/destination.hpp"
#include "sender/http_transport.hpp"
#include "sender/verdict.hpp"

namespace outbound::cli {
namespace {

// The mock's answer about request N: 404 means N is not a request it still has (exit 2).
nlohmann::json ask(admin_client& c, const std::string& what, std::uint64_t number,
                   std::string* bytes = nullptr) {
  const admin_reply r = c.call("GET", what);
  if (r.status == 404) {
    std::string why;
    try {
      why = parse_json(r.body, c.base().url).value("error", "");
    } catch (const input_error&) {
    }
    throw input_error(
        "replay", std::to_string(number),
        "the number of a request the mock still keeps (GET /__admin/requests): " + why);
  }
  if (r.status != 200)
    throw admin_client::unreachable(fmt::format("{} answered {}: {}", c.describe("GET", what),
                                                r.status, shorten_value(r.body, 300)));
  if (bytes) {
    *bytes = r.body;
    return {};
  }
  try {
    return parse_json(r.body, c.base().url);
  } catch (const input_error&) {
    throw admin_client::unreachable(c.describe("GET", what) + " answered what is not JSON");
  }
}

}  // namespace

int replay_request(admin_client& c, const replay_options& o) {
  const sender::destination to = sender::parse_destination(o.to, "--to", "");
  const duration timeout = duration_option(o.timeout, "--timeout");
  if (!o.ca_file.empty())
    check_tls_authority({read_option_file(o.ca_file, "--ca-file"), o.ca_file, "--ca-file"});
  sender::http_transport_options transport_options;
  transport_options.max_connections = 1;
  transport_options.ca_file = o.ca_file;

  const std::string what = fmt::format("requests/{}", o.number);
  const nlohmann::json summary = ask(c, what, o.number);
  if (summary.value("method", "") != "POST")
    throw input_error("replay", std::to_string(o.number),
                      "the number of a POST (request " + std::to_string(o.number) + " was a " +
                          shorten_value(summary.value("method", "?")) + ")");
  std::string body;
  (void)ask(c, what + "/body", o.number, &body);

  boost::asio::io_context io;
  sender::http_transport transport(io, transport_options);
  sender::attempt_result result;
  transport.send(to, body, timeout, [&](sender::attempt_result r) { result = std::move(r); });
  io.run();
  const sender::verdict v = sender::judge(result);

  const std::uint64_t notifications = summary.value("notifications", std::uint64_t{0});
  const std::string what_went =
      fmt::format("request {} ({} notification{}, {} bytes) to {}", o.number, notifications,
                  notifications == 1 ? "" : "s", body.size(), to.url);
  if (v.delivered) {
    fmt::print("{}: acked (HTTP {})\n", what_went, result.response.status);
    return 0;
  }
  // Salesforce's Delivery Failure Reason, and the class the sender counts it under.
  fmt::print("{}: not acked: {} [{}]\n", what_went, v.reason, v.failure_class);
  return 1;
}

}  // namespace outbound::cli
