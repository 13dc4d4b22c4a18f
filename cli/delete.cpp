// `outbound delete ID [--store FILE]`: the status page's Del: the notification is never sent.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/store_operation.hpp"
#include "common/input_error.hpp"
#include "sender/sqlite_store.hpp"

namespace outbound::cli {

void add_delete_command(CLI::App& app, exit_code_sink done) {
  struct options {
    std::string store = std::string(sender::default_store_file);
    std::string id;
  };
  auto o = std::make_shared<options>();
  auto* cmd =
      app.add_subcommand("delete", "Delete a queued, retrying or failed notification (Del)");
  cmd->add_option("id", o->id, "The notification id (04l...)")->type_name(takes::id)->required();
  cmd->add_option("--store", o->store, "The sender's store file")
      ->type_name(takes::file)
      ->capture_default_str();
  set_example(cmd, "outbound delete 04l5g0000000001AAA --store outbound.db");
  cmd->callback([o, done] {
    sender::sqlite_store db(o->store, sender::sqlite_store::open_mode::existing);
    done(report_operation(db, o->store, o->id, db.remove(o->id), "deleted"));
  });
}

}  // namespace outbound::cli
