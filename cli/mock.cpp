// `outbound mock`: the mock SOAP endpoint on a socket until SIGINT/SIGTERM.
#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/system/system_error.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "cli/commands.hpp"
#include "cli/option_files.hpp"
#include "common/clock.hpp"
#include "common/input_error.hpp"
#include "mock_endpoint/fault_plan.hpp"
#include "mock_endpoint/responder.hpp"
#include "mock_endpoint/server.hpp"
#include "soap/definition.hpp"

namespace outbound::cli {
namespace {

constexpr std::uint64_t max_body_limit = 1024 * 1024 * 1024;

struct mock_options {
  std::string listen = "127.0.0.1:0";
  std::string admin_listen = "127.0.0.1:0";
  std::string admin_token_file;
  std::string log = "quiet";
  bool verbose = false;
  std::string faults, definition, message, tls_cert, tls_key, client_ca, fault_ca, fault_ca_key;
  std::string admin_token;
  std::uint64_t seed = 1;
  std::size_t body_limit = 10 * 1024 * 1024;
  std::size_t keep_values = 100'000;
  std::size_t keep_bodies = 100;
};

// "127.0.0.1:8080", "[::1]:0", "localhost:9000": the host must be an IP address or localhost.
mock_endpoint::admin_listener parse_listen(const std::string& text, const std::string& option) {
  const auto colon = text.rfind(':');
  const std::string expected = "HOST:PORT such as 127.0.0.1:8080 or [::1]:0";
  if (colon == std::string::npos || colon == 0) throw input_error(option, text, expected);
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoul(port) > 65535)
    throw input_error(option, text, expected + " (the port is 0 to 65535)");
  mock_endpoint::admin_listener at{text.substr(0, colon),
                                   static_cast<std::uint16_t>(std::stoul(port))};
  std::string address = at.host;
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  boost::system::error_code ec;
  if (address != "localhost") boost::asio::ip::make_address(address, ec);
  if (ec)
    throw input_error(option, text,
                      expected + " (\"" + at.host + "\" is neither an IP address nor localhost)");
  return at;
}

// --admin-token, else --admin-token-file (first line), else $OUTBOUND_ADMIN_TOKEN: the last two
// keep the token out of `ps`.
std::string admin_token(const mock_options& m) {
  if (!m.admin_token.empty() && !m.admin_token_file.empty())
    throw input_error("--admin-token-file", m.admin_token_file,
                      "either --admin-token or --admin-token-file, not both");
  if (!m.admin_token.empty()) return m.admin_token;
  if (!m.admin_token_file.empty()) {
    std::string token = read_option_file(m.admin_token_file, "--admin-token-file");
    token = token.substr(0, token.find_first_of("\r\n"));
    if (token.empty())
      throw input_error(m.admin_token_file, "--admin-token-file", "a token on the first line");
    return token;
  }
  const char* env = std::getenv("OUTBOUND_ADMIN_TOKEN");
  return env ? std::string(env) : std::string();
}

mock_endpoint::log_format log_format_of(const mock_options& m) {
  if (m.log == "json") return mock_endpoint::log_format::json;
  if (m.log == "requests" || m.verbose) return mock_endpoint::log_format::text;
  return mock_endpoint::log_format::quiet;
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
  const mock_endpoint::admin_listener main = parse_listen(m.listen, "--listen");
  so.host = main.host;
  so.port = main.port;
  so.admin = parse_listen(m.admin_listen, "--admin-listen");
  so.admin_token = admin_token(m);
  so.log_as = log_format_of(m);
  so.log = [](const std::string& line) {
    fmt::print(stderr, "{}\n", line);
    std::fflush(stderr);
  };
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
  } else if (!m.fault_ca.empty()) {
    throw input_error("--tls-fault-ca", "",
                      "--tls-cert and --tls-key as well (the TLS faults it signs need HTTPS)");
  }

  mock_endpoint::responder_options eo;
  eo.body_limit = m.body_limit;
  // What CI asks from outside: the ledger export (ids), each record's newest values (verify),
  // and recent bodies (replay); each bounded or a few dozen bytes per notification.
  eo.ledger.keep_ids = true;
  eo.ledger.keep_record_data = m.keep_values > 0;
  eo.ledger.record_data_limit = m.keep_values;
  eo.kept_bodies = m.keep_bodies;
  eo.tls = so.tls.has_value();
  if (!m.definition.empty()) eo.definition = load_definition_option(m.definition, m.message);
  if (m.definition.empty() && !m.message.empty())
    throw input_error("--message", m.message, "--definition as well (it picks a message of it)");
  mock_endpoint::fault_plan plan;
  if (!m.faults.empty()) plan = mock_endpoint::load_fault_plan(m.faults);
  mock_endpoint::refuse_tls_faults_without_tls(plan, eo.tls, m.faults);

  boost::asio::io_context io;
  system_clock clock;
  mock_endpoint::responder ep(std::move(plan), m.seed, std::move(eo), clock.now());
  mock_endpoint::server server(io, ep, clock, so);
  try {
    server.start();
  } catch (const boost::system::system_error& e) {
    // A busy port, an address of another machine, a port below 1024 without the right. The
    // main port binds first: if it did, the admin address failed.
    const bool main_bound = server.port() != 0;
    throw input_error(main_bound ? "--admin-listen" : "--listen",
                      main_bound ? m.admin_listen : m.listen,
                      "an address this machine can listen on (" + e.code().message() + ")");
  }
  if (!server.admin_enabled())
    fmt::print(stderr,
               "outbound mock: admin API disabled: a non-loopback address needs --admin-token\n");
  // The handlers are in place before the address is printed, so that a script that stops the
  // mock as soon as it reads "listening on" always gets the clean stop and the summary.
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) server.stop();
  });
  fmt::print("listening on {}\nadmin on {}\n", server.url(), server.admin_url());
  std::fflush(stdout);
  io.run();
  const auto& l = ep.ledger();
  fmt::print(stderr,
             "outbound mock: {} messages, {} notifications ({} unique, {} retries, {} duplicates, "
             "{} stale)\n",
             l.messages(), l.notifications(), l.unique_notifications(), l.retries(), l.duplicates(),
             l.stale());
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
  cmd->add_option("--admin-listen", options->admin_listen,
                  "Address of the admin listener (/__admin/ only, never faulted)")
      ->type_name(takes::address)
      ->capture_default_str();
  cmd->add_option("--admin-token", options->admin_token,
                  "Bearer token for /__admin/ (required on a non-loopback address); "
                  "$OUTBOUND_ADMIN_TOKEN when not given")
      ->type_name("TOKEN");
  cmd->add_option("--admin-token-file", options->admin_token_file,
                  "File whose first line is the admin token (kept out of ps)")
      ->type_name(takes::file);
  cmd->add_option("--log", options->log,
                  "quiet: fault windows only; requests: a line per request on stderr; json: "
                  "the same as JSON lines")
      ->type_name("quiet|requests|json")
      ->check(CLI::IsMember({"quiet", "requests", "json"}))
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", options->verbose, "The same as --log requests");
  cmd->add_option("--seed", options->seed, "Seed of the fault plan's random draws")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()))
      ->capture_default_str();
  cmd->add_option("--body-limit", options->body_limit,
                  "Largest request body in bytes, 1 to 1073741824 (1 GiB)")
      ->type_name(takes::bytes)
      ->transform(whole_number(1, max_body_limit))
      ->capture_default_str();
  cmd->add_option("--keep-values", options->keep_values,
                  "Keep the newest field values of up to N records (0: none), for "
                  "GET /__admin/ledger/records and mock-ctl verify")
      ->type_name(takes::count)
      ->transform(whole_number(0, 100'000'000))
      ->capture_default_str();
  cmd->add_option("--keep-bodies", options->keep_bodies,
                  "Keep the bodies of the last N requests (0 to 100000, at most 64 MiB in all), "
                  "for mock-ctl replay")
      ->type_name(takes::count)
      ->transform(whole_number(0, 100'000))
      ->capture_default_str();
  set_example(cmd,
              "outbound mock --listen 127.0.0.1:8080 --faults examples/faults/outage.json "
              "--definition examples/definitions/account.json");
  cmd->callback([options, done] { done(run_mock(*options)); });
}

}  // namespace outbound::cli
