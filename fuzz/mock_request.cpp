// The mock's request handling on raw bytes, without sockets: Beast's parser with the server's
// limits, then what a session does with each request (admin API or endpoint::handle), then the
// outcome as the virtual clock carries it out. The input may hold several pipelined requests, so
// a POST /__admin/faults can install a plan that the next POST then meets.
#include <boost/beast/http.hpp>

#include "common/json_text.hpp"
#include "fuzz/fuzz_input.hpp"
#include "mock_endpoint/admin.hpp"
#include "mock_endpoint/responder.hpp"
#include "mock_endpoint/server.hpp"

namespace {

namespace http = boost::beast::http;
using namespace outbound;

// The definition the endpoint checks requests against (examples/definitions/account.json).
const soap::definition& account_definition() {
  static const soap::definition d =
      soap::definition_from_json(parse_json(R"({"full_name": "Notify_ERP", "object": "Account",
                     "fields": ["AccountNumber", "BillingCity", "BillingCountry",
                                "BillingPostalCode", "BillingStreet", "Name"],
                     "endpoint_url": "https://sap.example.com/account"})",
                                            "account.json"),
                                 "account.json");
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mock_endpoint::server_options limits;
  mock_endpoint::responder_options options;
  options.definition = account_definition();
  options.body_limit = limits.body_limit;
  time_point now = time_point{} + std::chrono::hours(24 * 365 * 50);
  mock_endpoint::responder ep({}, 42, options, now);
  if (ep.on_connection(now).action != mock_endpoint::connection_action::accept) return 0;

  std::string_view in = fuzz::text(data, size);
  while (!in.empty()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(limits.body_limit);
    parser.eager(true);
    boost::system::error_code ec;
    while (!in.empty() && !parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(in.data(), in.size()), ec);
      in.remove_prefix(used);
      if (ec || used == 0) break;
    }
    if (!parser.is_done()) return 0;  // a read failure: the session answers 4xx or closes

    const auto& req = parser.get();
    mock_endpoint::request_view view;
    view.method = req.method_string();
    view.target = req.target();
    view.body = req.body();
    if (mock_endpoint::is_admin_target(view.target)) {
      const auto reply = mock_endpoint::handle_admin(ep, view, now);
      (void)mock_endpoint::serialize_head(reply, reply.body.size(), true);
    } else {
      const auto o = ep.handle(view, now);
      (void)mock_endpoint::serialize_head(o.response, o.response.body.size(), o.keep_alive);
      (void)mock_endpoint::simulate(o, std::chrono::seconds(60));
    }
    now += std::chrono::seconds(1);
  }
  return 0;
}
