// `outbound retry ID|--failed [--store FILE]`: the status page's Retry: send now. A failed
// notification goes back to the queue; a running `outbound send` on the same store picks it up.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/store_operation.hpp"
#include "common/clock.hpp"
#include "common/input_error.hpp"
#include "sender/sqlite_store.hpp"

namespace outbound::cli {

void add_retry_command(CLI::App& app, exit_code_sink done) {
  struct options {
    std::string store = std::string(sender::default_store_file);
    std::string id;
    bool failed = false;
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand("retry", "Send a notification now (Retry), or every failed one");
  cmd->add_option("id", o->id, "The notification id (04l...)")->type_name(takes::id);
  cmd->add_flag("--failed", o->failed, "Retry every notification in the failed list");
  cmd->add_option("--store", o->store, "The sender's store file")
      ->type_name(takes::file)
      ->capture_default_str();
  set_example(cmd, "outbound retry 04l5g0000000001AAA --store outbound.db");
  cmd->callback([o, done] {
    if (o->failed == !o->id.empty())
      throw input_error("retry", "", "either a notification id or --failed");
    sender::sqlite_store db(o->store, sender::sqlite_store::open_mode::existing);
    system_clock clock;
    if (o->failed) {
      fmt::print("{} failed notifications due now\n", db.retry_failed(clock.now()));
      return done(0);
    }
    done(report_operation(db, o->store, o->id, db.retry_now(o->id, clock.now()), "due now"));
  });
}

}  // namespace outbound::cli
