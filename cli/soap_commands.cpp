// `outbound wsdl`, `outbound envelope` and `outbound parse`: the wire format from the command line.
#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "common/input_error.hpp"
#include "common/input_file.hpp"
#include "common/json_text.hpp"
#include "common/random.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"
#include "soap/sample_data.hpp"
#include "soap/wsdl.hpp"

namespace outbound::cli {
namespace {

struct definition_options {
  std::string file;
  std::string message;
};

void add_definition_options(CLI::App* cmd, definition_options& o) {
  cmd->add_option("--definition", o.file,
                  "Definition: project JSON, *.workflow-meta.xml or an outbound WSDL")
      ->type_name(takes::file)
      ->required();
  cmd->add_option("--message", o.message,
                  "Which outboundMessages fullName to use when a workflow file holds several")
      ->type_name(takes::name);
}

nlohmann::json to_json(const soap::message& m) {
  nlohmann::json notifications = nlohmann::json::array();
  for (const auto& n : m.notifications) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& f : n.object.fields) {
      fields[f.name] = f.value ? nlohmann::json(*f.value) : nlohmann::json(nullptr);
    }
    notifications.push_back({{"id", n.id},
                             {"object", n.object.type},
                             {"record_id", n.object.id},
                             {"fields", std::move(fields)}});
  }
  const auto& h = m.header;
  return {{"organization_id", h.organization_id},
          {"action_id", h.action_id},
          {"session_id", h.session_id ? nlohmann::json(*h.session_id) : nlohmann::json(nullptr)},
          {"enterprise_url", h.enterprise_url},
          {"partner_url", h.partner_url},
          {"notifications", std::move(notifications)}};
}

}  // namespace

void add_wsdl_command(CLI::App& app, exit_code_sink done) {
  auto* cmd = app.add_subcommand("wsdl", "Print the outbound WSDL Salesforce would generate");
  auto o = std::make_shared<definition_options>();
  add_definition_options(cmd, *o);
  set_example(cmd,
              "outbound wsdl --definition examples/definitions/Account.workflow-meta.xml "
              "--message Notify_ERP");
  cmd->callback([o, done] {
    fmt::print("{}", soap::write_wsdl(load_definition_option(o->file, o->message)));
    done(0);
  });
}

void add_envelope_command(CLI::App& app, exit_code_sink done) {
  auto* cmd = app.add_subcommand("envelope", "Print a sample outbound message for a definition");
  auto o = std::make_shared<definition_options>();
  auto count = std::make_shared<std::size_t>(1);
  auto seed = std::make_shared<std::uint64_t>(1);
  add_definition_options(cmd, *o);
  cmd->add_option("--notifications", *count,
                  "Notifications in the message, 1-100 (Salesforce sends at most 100)")
      ->type_name(takes::count)
      ->transform(whole_number(1, soap::max_notifications));
  cmd->add_option("--seed", *seed, "Seed for the generated values")
      ->type_name(takes::count)
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
  set_example(cmd,
              "outbound envelope --definition examples/definitions/Account.wsdl "
              "--notifications 3 --seed 7");
  cmd->callback([o, count, seed, done] {
    const auto d = load_definition_option(o->file, o->message);
    random rng(*seed);
    fmt::print("{}", soap::write_envelope(soap::sample_message(d, *count, rng)));
    done(0);
  });
}

void add_parse_command(CLI::App& app, exit_code_sink done) {
  auto* cmd = app.add_subcommand("parse", "Print a captured outbound message as JSON");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "A captured SOAP request (- for standard input)")
      ->type_name(takes::file)
      ->required();
  set_example(cmd, "outbound parse tests/soap/data/reference_sample_opportunity_request.xml");
  cmd->callback([file, done] {
    std::string body;
    if (*file == "-") {
      body = read_input_stream(std::cin, "standard input", "a captured request");
    } else {
      body = read_input_file(*file, "a captured request");
    }
    auto m = soap::parse_envelope(body);
    if (!m) throw input_error(*file == "-" ? "standard input" : *file, "", m.error());
    fmt::print("{}\n", dump_json(to_json(*m), 2));
    done(0);
  });
}

}  // namespace outbound::cli
