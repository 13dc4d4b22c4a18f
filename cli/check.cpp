// `outbound check`: sends the conformance battery (docs/check.md) to a listener and judges every
// answer; exit 1 naming each failed check and what came back.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

#include "cli/commands.hpp"
#include "cli/option_files.hpp"
#include "common/clock.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"
#include "common/random.hpp"
#include "modes/builtin_definition.hpp"
#include "modes/check_battery.hpp"
#include "modes/conformance_check.hpp"
#include "reports/render.hpp"
#include "sender/destination.hpp"
#include "sender/http_transport.hpp"

namespace outbound::cli {
namespace {

struct check_cli_options {
  std::string endpoint, definition, message, out = "out/check", junit, timeout = "60s", ca_file;
  std::uint64_t seed = 0;
};

int run_check(const check_cli_options& o) {
  const auto ep = sender::parse_destination(o.endpoint, "--endpoint", "");
  const auto def = o.definition.empty() ? modes::builtin_account_definition()
                                        : load_definition_option(o.definition, o.message);
  const auto timeout = parse_duration(o.timeout);
  if (!timeout || timeout->count() <= 0)
    throw input_error("--timeout", "",
                      "a positive duration such as 60s (got \"" + o.timeout + "\")");
  if (!o.ca_file.empty())
    check_tls_authority({read_option_file(o.ca_file, "--ca-file"), o.ca_file, "--ca-file"});

  boost::asio::io_context io;
  system_clock clock;
  sender::http_transport_options to;
  to.max_connections = 1;
  to.ca_file = o.ca_file;
  sender::http_transport transport(io, to);
  // Fresh ids each run unless a seed is given, so a listener that de-duplicates across runs
  // still sees the first message as new.
  const std::uint64_t seed =
      o.seed != 0 ? o.seed : static_cast<std::uint64_t>(clock.now().time_since_epoch().count());
  random rng(seed);
  modes::conformance_check check(clock, transport, ep, modes::make_battery(def, rng), *timeout);
  check.start([&] { io.stop(); });
  io.run();

  nlohmann::json parameters = {{"endpoint", ep.url},
                               {"definition", def.full_name},
                               {"object", def.object},
                               {"timeout_us", timeout->count()}};
  auto report = check.report(std::move(parameters));
  report.seed = seed;
  reports::write_report_folder(report, o.out);
  if (!o.junit.empty()) {
    const std::filesystem::path junit_path(o.junit);
    if (junit_path.has_parent_path()) std::filesystem::create_directories(junit_path.parent_path());
    std::ofstream junit(junit_path, std::ios::binary);
    junit << reports::render_junit(report);
    if (!junit) throw std::runtime_error("cannot write " + o.junit);
  }
  std::fputs(reports::text_summary(report).c_str(), stdout);
  fmt::print("report: {}\n", o.out);
  return check.passed() ? 0 : 1;
}

}  // namespace

void add_check_command(CLI::App& app, exit_code_sink done) {
  auto* cmd = app.add_subcommand(
      "check", "Check that a listener acks realistic Salesforce traffic (docs/check.md)");
  auto o = std::make_shared<check_cli_options>();
  cmd->add_option("--endpoint", o->endpoint, "Listener URL (http:// or https://)")
      ->type_name(takes::url)
      ->required();
  cmd->add_option("--definition", o->definition,
                  "Definition: project JSON, *.workflow-meta.xml or an outbound WSDL "
                  "(default: an Account message like Notify ERP)")
      ->type_name(takes::file);
  cmd->add_option("--message", o->message, "outboundMessages fullName in a workflow file")
      ->type_name(takes::name);
  cmd->add_option("--out", o->out, "Report folder (default out/check)")->type_name(takes::folder);
  cmd->add_option("--junit", o->junit, "Also write the JUnit XML to this file")
      ->type_name(takes::file);
  cmd->add_option("--timeout", o->timeout, "Time allowed for each answer (default 60s)")
      ->type_name(takes::duration);
  cmd->add_option("--ca-file", o->ca_file, "PEM file of CAs to trust for https")
      ->type_name(takes::pem);
  cmd->add_option("--seed", o->seed, "Seed of ids and values (default: a fresh one per run)")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
  set_example(cmd, "outbound check --endpoint http://127.0.0.1:8080/ --junit out/check.xml");
  cmd->callback([o, done] { done(run_check(*o)); });
}

}  // namespace outbound::cli
