// `outbound status [--store FILE] [--json] [--limit N]`: the "View Message Delivery Status" page
// of a store; the text page shows each notification's id in its Action cell.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "common/json_text.hpp"
#include "sender/sqlite_store.hpp"
#include "sender/status.hpp"

namespace outbound::cli {

void add_status_command(CLI::App& app, exit_code_sink done) {
  struct options {
    std::string store = std::string(sender::default_store_file);
    bool json = false;
    std::size_t limit = 1000;
  };
  auto o = std::make_shared<options>();
  auto* cmd = app.add_subcommand(
      "status", "Show queued, retrying and failed notifications and the counts per state");
  cmd->add_option("--store", o->store, "The sender's store file")
      ->type_name(takes::file)
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON: {\"summary\": {...}, \"items\": [...]}");
  cmd->add_option("--limit", o->limit, "List at most this many notifications (0 to 10000000)")
      ->type_name(takes::count)
      ->transform(whole_number(0, 10'000'000))
      ->capture_default_str();
  set_example(cmd, "outbound status --store outbound.db --limit 20");
  cmd->callback([o, done] {
    sender::sqlite_store db(o->store, sender::sqlite_store::open_mode::existing);
    auto status = sender::collect_status(db, o->limit);
    if (o->json)
      fmt::print("{}\n", dump_json(sender::status_to_json(status), 2));
    else
      fmt::print("{}", sender::render_status_text(status));
    done(0);
  });
}

}  // namespace outbound::cli
