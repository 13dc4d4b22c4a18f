// `outbound mock`: the mock SOAP endpoint on a socket until SIGINT/SIGTERM.
#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/system/system_error.hpp>

#include <csignal>
#include <cstdio>
#include <limits>

#include "cli/commands.hpp"
#include "cli/option_files.hpp"
#include "common/clock.hpp"
#include "common/input_error.hpp"
#include "mock_endpoint/endpoint.hpp"
#include "mock_endpoint/fault_plan.hpp"
#include "mock_endpoint/server.hpp"
#include "soap/definition.hpp"

namespace outbound::cli {
namespace {

constexpr std::uint64_t max_body_limit = 1024 * 1024 * 1024;

struct mock_options {
  std::string listen = "127.0.0.1:0";
  std::string faults, definition, message, tls_cert, tls_key, client_ca, fault_ca, fault_ca_key;
  std::string admin_token;
  std::uint64_t seed = 1;
  std::size_t body_limit = 10 * 1024 * 1024;
};

// "127.0.0.1:8080", "[::1]:0", "localhost:9000": the host must be an IP address or localhost.
void parse_listen(const std::string& text, mock_endpoint::server_options& o) {
  const auto colon = text.rfind(':');
  const std::string expected = "HOST:PORT such as 127.0.0.1:8080 or [::1]:0";
  if (colon == std::string::npos || colon == 0) throw input_error("--listen", text, expected);
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
    throw input_error("--listen", text, expected + " (the port is 0 to 65535)");
  o.host = text.substr(0, colon);
  o.port = static_cast<std::uint16_t>(std::stoul(port));
  std::string address = o.host;
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  boost::system::error_code ec;
  if (address != "localhost") boost::asio::ip::make_address(address, ec);
  if (ec)
    throw input_error("--listen", text,
                      expected + " (\"" + o.host + "\" is neither an IP address nor localhost)");
}

// The PEM files of the TLS options, each checked, so that no bad one surfaces after listening.
mock_endpoint::tls_settings read_tls(const mock_options& m) {
  mock_endpoint::tls_settings t;
  t.certificate_pem = read_option_file(m.tls_cert, "--tls-cert");
  t.private_key_pem = read_option_file(m.tls_key, "--tls-key");
  check_tls_identity({t.certificate_pem, m.tls_cert, "--tls-cert"},
                     {t.private_key_pem, m.tls_key, "--tls-key"});
  if (!m.client_ca.empty()) {
    t.client_ca_pem = read_option_file(m.client_ca, "--client-ca");
    check_tls_authority({t.client_ca_pem, m.client_ca, "--client-ca"});
  }
  if (!m.fault_ca.empty()) {
    t.fault_ca = {read_option_file(m.fault_ca, "--tls-fault-ca"),
                  read_option_file(m.fault_ca_key, "--tls-fault-ca-key")};
    check_tls_identity({t.fault_ca.certificate, m.fault_ca, "--tls-fault-ca"},
                       {t.fault_ca.private_key, m.fault_ca_key, "--tls-fault-ca-key"});
  }
  return t;
}

int run_mock(const mock_options& m) {
  mock_endpoint::server_options so;
  parse_listen(m.listen, so);
  so.admin_token = m.admin_token;
  so.body_limit = m.body_limit;
  if (m.tls_cert.empty() != m.tls_key.empty())
    throw input_error(m.tls_cert.empty() ? "--tls-cert" : "--tls-key", "",
                      "--tls-cert and --tls-key together");
  if (m.fault_ca.empty() != m.fault_ca_key.empty())
    throw input_error("--tls-fault-ca", "", "--tls-fault-ca and --tls-fault-ca-key together");
  if (!m.tls_cert.empty()) {
    so.tls = read_tls(m);
  } else if (!m.client_ca.empty()) {
    throw input_error("--client-ca", "",
                      "--tls-cert and --tls-key as well (client certificates need HTTPS)");
  }

  mock_endpoint::endpoint_options eo;
  eo.body_limit = m.body_limit;
  eo.tls = so.tls.has_value();
  if (!m.definition.empty()) eo.definition = load_definition_option(m.definition, m.message);
  if (m.definition.empty() && !m.message.empty())
    throw input_error("--message", m.message, "--definition as well (it picks a message of it)");
  mock_endpoint::fault_plan plan;
  if (!m.faults.empty()) plan = mock_endpoint::load_fault_plan(m.faults);
  for (const auto& f : plan.faults) {
    const auto k = f.kind;
    if (!eo.tls && mock_endpoint::is_tls_fault(k))
      fmt::print(stderr, "outbound mock: {} applies only over HTTPS (--tls-cert); ignored\n",
                 mock_endpoint::to_string(k));
  }

  boost::asio::io_context io;
  system_clock clock;
  mock_endpoint::endpoint ep(std::move(plan), m.seed, std::move(eo), clock.now());
  mock_endpoint::server server(io, ep, clock, so);
  try {
    server.start();
  } catch (const boost::system::system_error& e) {
    // A busy port, an address of another machine, a port below 1024 without the right.
    throw input_error("--listen", m.listen,
                      "an address this machine can listen on (" + e.code().message() + ")");
  }
  if (!server.admin_enabled())
    fmt::print(stderr,
               "outbound mock: admin API disabled: a non-loopback address needs --admin-token\n");
  fmt::print("listening on {}\n", server.url());
  std::fflush(stdout);

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) server.stop();
  });
  io.run();
  const auto& l = ep.ledger();
  fmt::print(stderr,
             "outbound mock: {} messages, {} notifications ({} unique, {} duplicates, {} stale)\n",
             l.messages(), l.notifications(), l.unique_notifications(), l.duplicates(), l.stale());
  return 0;
}

}  // namespace

void add_mock_command(CLI::App& app, exit_code_sink done) {
  auto options = std::make_shared<mock_options>();
  CLI::App* cmd = app.add_subcommand("mock", "Run the mock SOAP endpoint (acks, faults, ledger)");
  cmd->add_option("--listen", options->listen, "Address to listen on (port 0: any free port)")
      ->type_name(takes::address)
      ->capture_default_str();
  cmd->add_option("--faults", options->faults, "Fault plan JSON file (docs/faults.md)")
      ->type_name(takes::file);
  cmd->add_option("--definition", options->definition,
                  "Definition (JSON, workflow XML or WSDL): check requests, serve GET /?wsdl")
      ->type_name(takes::file);
  cmd->add_option("--message", options->message,
                  "Which outboundMessages fullName of --definition, when a workflow file holds "
                  "several")
      ->type_name(takes::name);
  cmd->add_option("--tls-cert", options->tls_cert, "Serve HTTPS with this PEM certificate chain")
      ->type_name(takes::pem);
  cmd->add_option("--tls-key", options->tls_key, "PEM private key of --tls-cert")
      ->type_name(takes::pem);
  cmd->add_option("--client-ca", options->client_ca,
                  "Require client certificates signed by this PEM CA")
      ->type_name(takes::pem);
  cmd->add_option(
         "--tls-fault-ca", options->fault_ca,
         "PEM CA (trusted by the client) that issues the tls_hostname/tls_expired certificates")
      ->type_name(takes::pem);
  cmd->add_option("--tls-fault-ca-key", options->fault_ca_key, "PEM private key of --tls-fault-ca")
      ->type_name(takes::pem);
  cmd->add_option("--admin-token", options->admin_token,
                  "Bearer token for /__admin/ (required on a non-loopback address)")
      ->type_name("TOKEN");
  cmd->add_option("--seed", options->seed, "Seed of the fault plan's random draws")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()))
      ->capture_default_str();
  cmd->add_option("--body-limit", options->body_limit,
                  "Largest request body in bytes, 1 to 1073741824 (1 GiB)")
      ->type_name(takes::bytes)
      ->transform(whole_number(1, max_body_limit))
      ->capture_default_str();
  set_example(cmd,
              "outbound mock --listen 127.0.0.1:8080 --faults examples/faults/outage.json "
              "--definition examples/definitions/account.json");
  cmd->callback([options, done] { done(run_mock(*options)); });
}

}  // namespace outbound::cli
