#include "cli/usage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace outbound::cli {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string command_path(const CLI::App& level) {
  std::string path;
  for (const CLI::App* a = &level; a != nullptr; a = a->get_parent())
    path = a->get_parent() == nullptr ? "outbound" + path : " " + a->get_name() + path;
  return path;
}

std::vector<std::string> subcommand_names(const CLI::App& level) {
  std::vector<std::string> names;
  for (const CLI::App* sub : level.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

const CLI::App* subcommand_named(const CLI::App& level, const std::string& name) {
  for (const CLI::App* sub : level.get_subcommands([](const CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

std::vector<std::string> option_names(const CLI::App& level) {
  std::vector<std::string> names;
  for (const CLI::Option* o : level.get_options()) {
    for (const auto& n : o->get_lnames()) names.push_back("--" + n);
    for (const auto& n : o->get_snames()) names.push_back("-" + n);
  }
  return names;
}

// The option `word` names ("--x" or "--x=value"), or null.
const CLI::Option* option_named(const CLI::App& level, const std::string& word) {
  const std::string name = word.substr(0, word.find('='));
  for (const CLI::Option* o : level.get_options())
    if (o->check_name(name)) return o;
  return nullptr;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
  const std::string near = closest(word, known);
  return near.empty() ? "" : fmt::format("; did you mean {}?", near);
}

std::string unknown_option(const CLI::App& level, const std::string& word) {
  const std::string name = word.substr(0, word.find('='));
  std::string text = fmt::format("unknown option {} for `{}`", name, command_path(level));
  const std::string hint = suggestion(name, option_names(level));
  if (!hint.empty()) return text + hint;
  if (level.get_parent() == nullptr)
    return text +
           fmt::format(" (a COMMAND comes first: {})", fmt::join(subcommand_names(level), ", "));
  return text + fmt::format(" (see `{} --help`)", command_path(level));
}

std::string unknown_subcommand(const CLI::App& level, const std::string& word) {
  const auto names = subcommand_names(level);
  const std::string hint = suggestion(word, names);
  return fmt::format("unknown command \"{}\" for `{}`{}", word, command_path(level),
                     hint.empty() ? fmt::format(" (commands: {})", fmt::join(names, ", ")) : hint);
}

}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& k : known) {
    const std::size_t d = edit_distance(word, k);
    if (d < best_distance) {
      best = k;
      best_distance = d;
    }
  }
  return best;
}

std::string unknown_argument(const CLI::App& app, const std::vector<std::string>& args) {
  const CLI::App* level = &app;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--") return {};
    if (word.size() > 1 && word[0] == '-') {
      const CLI::Option* o = option_named(*level, word);
      if (o == nullptr) return unknown_option(*level, word);
      if (o->get_items_expected_max() > 0 && word.find('=') == std::string::npos) ++i;
      continue;
    }
    if (const CLI::App* sub = subcommand_named(*level, word)) {
      level = sub;
      continue;
    }
    // A word that is no subcommand is unknown only where no positional argument could take it.
    const bool takes_positionals =
        !level->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
    if (!takes_positionals && level->get_subcommands([](const CLI::App*) { return true; }).size())
      return unknown_subcommand(*level, word);
  }
  return {};
}

std::string help_command(const CLI::App& app) {
  const CLI::App* level = &app;
  for (auto chosen = level->get_subcommands(); !chosen.empty(); chosen = level->get_subcommands())
    level = chosen.front();
  return command_path(*level) + " --help";
}

}  // namespace outbound::cli
