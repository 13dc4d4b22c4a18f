#pragma once
// Each subcommand lives in its own cli/*.cpp and registers itself on the app; the handler it sets
// returns the process exit code. Exit codes: 0 success, 1 expectations or checks failed,
// 2 bad usage or bad input, 3 an internal error.

#include <CLI/CLI.hpp>

#include <functional>

namespace outbound::cli {

// The code the chosen subcommand wants the process to exit with.
using exit_code_sink = std::function<void(int)>;

void add_wsdl_command(CLI::App& app, exit_code_sink done);
void add_envelope_command(CLI::App& app, exit_code_sink done);
void add_parse_command(CLI::App& app, exit_code_sink done);
void add_mock_command(CLI::App& app, exit_code_sink done);
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
