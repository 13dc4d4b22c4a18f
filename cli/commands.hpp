#pragma once
// Each subcommand lives in its own cli/*.cpp and registers itself on the app; the handler it sets
// returns the process exit code. Exit codes: 0 success, 1 expectations, checks or thresholds
// failed, 2 bad usage or bad input, 3 an internal error, 130 Ctrl-C or SIGTERM ended a run, load or
// send. The helpers below give every subcommand the same placeholders, number ranges and --help
// example:
//   cmd->add_option("--limit", n, "...")->type_name(takes::count)->transform(whole_number(0, 9));
//   set_example(cmd, "outbound status --store outbound.db --limit 20");

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "common/duration.hpp"
#include "soap/definition.hpp"

namespace outbound::cli {

// What an option takes, as --help shows it (CLI11 alone would say TEXT or UINT).
namespace takes {
inline constexpr const char* file = "FILE";
inline constexpr const char* folder = "DIR";
inline constexpr const char* pem = "PEM";
inline constexpr const char* url = "URL";
inline constexpr const char* duration = "DURATION";
inline constexpr const char* count = "N";
inline constexpr const char* bytes = "BYTES";
inline constexpr const char* address = "HOST:PORT";
inline constexpr const char* name = "NAME";
inline constexpr const char* id = "ID";
}  // namespace takes

// Ends `cmd`'s --help with "Example:" and the command line `example`.
void set_example(CLI::App* cmd, const std::string& example);

// A transform (not a check: it drops leading zeros) for a whole-number option: decimal digits only
// (no sign, exponent or hex, so "-1" never wraps round), from `min` to `max`; the message names the
// option, the range and the value.
CLI::Validator whole_number(std::uint64_t min, std::uint64_t max);

// The definition that --definition FILE and --message NAME name; a --message that is not a message
// of the file is an input error listing the messages it has (whatever the file's kind).
// The duration an option gives ("250ms", "90s", "1h30m"), or an input_error naming the option;
// zero is refused unless `zero_allowed` (a "--for 0s" that means "do not wait").
duration duration_option(const std::string& text, const char* option, bool zero_allowed = false);

soap::definition load_definition_option(const std::string& file, const std::string& message);

// The code the chosen subcommand wants the process to exit with.
using exit_code_sink = std::function<void(int)>;

void add_wsdl_command(CLI::App& app, exit_code_sink done);
void add_envelope_command(CLI::App& app, exit_code_sink done);
void add_parse_command(CLI::App& app, exit_code_sink done);
void add_mock_command(CLI::App& app, exit_code_sink done);
void add_mock_ctl_command(CLI::App& app, exit_code_sink done);
void add_run_command(CLI::App& app, exit_code_sink done);
void add_report_command(CLI::App& app, exit_code_sink done);
void add_send_command(CLI::App& app, exit_code_sink done);
void add_status_command(CLI::App& app, exit_code_sink done);
void add_retry_command(CLI::App& app, exit_code_sink done);
void add_delete_command(CLI::App& app, exit_code_sink done);
void add_definitions_command(CLI::App& app, exit_code_sink done);
void add_load_command(CLI::App& app, exit_code_sink done);
void add_check_command(CLI::App& app, exit_code_sink done);

}  // namespace outbound::cli
