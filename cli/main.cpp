// outbound: a harness for Salesforce Outbound Messaging integrations. main() only wires the
// subcommands and turns errors into exit codes; the work is in the libraries.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/usage.hpp"
#include "common/input_error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"outbound: test Salesforce Outbound Messaging senders, listeners and outages"};
  app.set_version_flag("--version", std::string("outbound ") + OUTBOUND_VERSION);
  app.require_subcommand(1);

  int code = 0;
  auto done = [&code](int c) { code = c; };
  outbound::cli::add_wsdl_command(app, done);
  outbound::cli::add_envelope_command(app, done);
  outbound::cli::add_parse_command(app, done);
  outbound::cli::add_run_command(app, done);
  outbound::cli::add_mock_command(app, done);
  outbound::cli::add_mock_ctl_command(app, done);
  outbound::cli::add_report_command(app, done);
  outbound::cli::add_send_command(app, done);
  outbound::cli::add_status_command(app, done);
  outbound::cli::add_retry_command(app, done);
  outbound::cli::add_delete_command(app, done);
  outbound::cli::add_definitions_command(app, done);
  outbound::cli::add_load_command(app, done);
  outbound::cli::add_check_command(app, done);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // CLI11 says "A subcommand is required" for `outbound frobnicate`; name the word instead.
    const std::string unknown = outbound::cli::unknown_argument(app, {argv + 1, argv + argc});
    fmt::print(stderr, "outbound: {}\nRun `{}` for the commands and their options.\n",
               unknown.empty() ? e.what() : unknown, outbound::cli::help_command(app));
    return 2;
  } catch (const outbound::input_error& e) {
    fmt::print(stderr, "outbound: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "outbound: internal error: {}\n", e.what());
    return 3;
  }
  return code;
}
