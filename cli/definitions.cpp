// `outbound definitions [--store FILE]`: the outbound messages of a store, as Setup lists them,
// with the notifications of each per state.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sender/sqlite_store.hpp"
#include "sender/status.hpp"

namespace outbound::cli {

void add_definitions_command(CLI::App& app, exit_code_sink done) {
  auto store = std::make_shared<std::string>(sender::default_store_file);
  auto* cmd = app.add_subcommand("definitions", "List the outbound message definitions of a store");
  cmd->add_option("--store", *store, "The sender's store file")
      ->type_name(takes::file)
      ->capture_default_str();
  set_example(cmd, "outbound definitions --store outbound.db");
  cmd->callback([store, done] {
    sender::sqlite_store db(*store, sender::sqlite_store::open_mode::existing);
    fmt::print("{}", sender::render_definitions_text(db));
    done(0);
  });
}

}  // namespace outbound::cli
