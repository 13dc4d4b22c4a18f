#pragma once
// What went wrong when the command line names an unknown subcommand or option, worded for the user
// with the closest known name ("did you mean ...?"); CLI11 alone says only "A subcommand is
// required".
//   catch (const CLI::ParseError& e) { if (auto m = unknown_argument(app, args); !m.empty()) ... }

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace outbound::cli {

// The message for the first argument of `args` (argv without the program) that names no subcommand
// or option where it stands; "" when every one is known.
std::string unknown_argument(const CLI::App& app, const std::vector<std::string>& args);

// "outbound --help", or the help of the deepest subcommand the command line chose
// ("outbound mock --help"), for the line that follows a usage error.
std::string help_command(const CLI::App& app);

// The known name closest to `word` (a likely typo), or "" when none is close.
std::string closest(const std::string& word, const std::vector<std::string>& known);

}  // namespace outbound::cli
