// The helpers of cli/commands.hpp that every subcommand shares: examples, number ranges,
// definitions.
#include <fmt/format.h>

#include <charconv>

#include "cli/commands.hpp"
#include "common/duration.hpp"
#include "common/input_error.hpp"

namespace outbound::cli {
namespace {

// A value quoted in a message, cut so a 10 MB argument does not flood the terminal.
std::string shown(const std::string& value) {
  constexpr std::size_t longest = 40;
  if (value.size() <= longest) return "\"" + value + "\"";
  return "\"" + value.substr(0, longest) + "...\" (" + std::to_string(value.size()) +
         " characters)";
}

}  // namespace

void set_example(CLI::App* cmd, const std::string& example) {
  cmd->footer("\nExample:\n  " + example + "\n");
}

CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
  auto check = [min, max](std::string& text) -> std::string {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || stop != end || value < min || value > max)
      return fmt::format("a whole number from {} to {}, not {}", min, max, shown(text));
    text = std::to_string(value);  // without leading zeros, which CLI11 would read as octal
    return {};
  };
  return {check, ""};
}

soap::definition load_definition_option(const std::string& file, const std::string& message) {
  soap::definition d = soap::load_definition(file, message);
  if (!message.empty() && d.full_name != message)
    throw input_error(
        file, "--message",
        fmt::format("the name of a message the file holds: it holds only \"{}\", not {}",
                    d.full_name, shown(message)));
  return d;
}

duration duration_option(const std::string& text, const char* option, bool zero_allowed) {
  const auto d = parse_duration(text);
  if (!d || *d < duration::zero() || (!zero_allowed && *d == duration::zero()))
    throw input_error(option, "",
                      fmt::format("{} duration such as 250ms, 90s, 15m or 1h30m (got {})",
                                  zero_allowed ? "a" : "a positive", shown(text)));
  return *d;
}

}  // namespace outbound::cli
