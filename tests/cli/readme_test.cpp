// README.md stays true: every file its ```sh blocks name exists, every `outbound` command line
// names a real subcommand and real options, and the lines that need no listener, store or network
// run (in order, in a scratch folder) and exit 0. The runnable ones are the definition commands and
// `mock` (started, then stopped); `send`, `status`, `load`, `check` and the like are only checked.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

// One command line of a ```sh block: continuation lines joined, the trailing comment cut.
std::vector<std::string> sh_lines(const std::string& readme) {
  std::vector<std::string> out;
  bool in_block = false;
  std::string pending;
  for (const auto& line : lines_of(readme)) {
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block && line == "```sh";
      continue;
    }
    if (!in_block) continue;
    std::string text = line.substr(0, line.find(" #"));
    if (line.rfind("#", 0) == 0) continue;
    const bool continued = !text.empty() && text.back() == '\\';
    if (continued) text.pop_back();
    pending += text;
    if (continued) continue;
    pending.erase(pending.find_last_not_of(' ') + 1);
    if (!pending.empty()) out.push_back(pending);
    pending.clear();
  }
  return out;
}

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// "[--seed", "N]", "ID|--failed", "--limit=3" -> the option names in them.
std::vector<std::string> options_in(const std::string& word) {
  std::vector<std::string> names;
  static const std::regex option("--[a-z][a-z0-9-]*");
  for (std::sregex_iterator it(word.begin(), word.end(), option), end; it != end; ++it)
    names.push_back(it->str());
  return names;
}

// A file of the repository, such as examples/faults/tls.json or @examples/faults/soap.json.
bool names_a_shipped_file(std::string word) {
  word.erase(0, word.find_first_not_of("@'\"["));
  for (const std::string folder : {"examples/", "scenarios/", "docs/", "tests/", "scripts/"})
    if (word.rfind(folder, 0) == 0) return true;
  return false;
}

class readme : public store_fixture {
 protected:
  // `outbound COMMAND --help` for the command of `words` ("report render" for two levels).
  const std::string& help_of(const std::vector<std::string>& words) {
    std::string command = words.size() > 1 ? words[1] : "";
    if (command == "report" && words.size() > 2) command += " " + words[2];
    auto& text = helps_[command];
    if (text.empty()) {
      const auto r = run_outbound(command + " --help");
      EXPECT_EQ(r.exit_code, 0) << "README names `outbound " << command << "`: " << r.output;
      text = r.output + " ";
    }
    return text;
  }

  // A line runs when it needs nothing but the repository: no placeholder, no store, no network.
  static bool runnable(const std::string& line, const std::vector<std::string>& words) {
    static const std::regex placeholder("[A-Z][A-Z_:]*[A-Z](\\.json)?|.*\\.pem");
    if (line.find('[') != std::string::npos || line.find('|') != std::string::npos ||
        line.back() == '&')
      return false;
    for (const auto& w : words)
      if (std::regex_match(w, placeholder)) return false;
    for (const std::string command : {"wsdl", "envelope", "parse", "mock"})
      if (words[1] == command) return true;
    return false;
  }

  // Runs `line` in the scratch folder, with `outbound` on the PATH and the repository's folders.
  run_result run_line(std::string line, const std::vector<std::string>& words) {
    if (words[1] == "mock") {
      // The mock runs until stopped: stopped once it listens. The previous line's mock.out goes
      // first: read before this mock's shell truncates it, its "listening on" had this mock
      // stopped before it started (exit 143, one run in ten).
      line = "rm -f mock.out; " + line +
             " --listen 127.0.0.1:0 > mock.out 2>&1 & pid=$!; for i in $(seq 1000); do grep -q "
             "'listening on' mock.out 2>/dev/null && break; kill -0 $pid || break; sleep 0.01; "
             "done; kill $pid; wait $pid; rc=$?; cat mock.out; exit $rc";
    }
    return run_shell("cd " + dir_.string() + " && PATH=" + path("bin") + ":$PATH; " + line);
  }

  void SetUp() override {
    store_fixture::SetUp();
    fs::create_directories(dir_ / "bin");
    fs::create_symlink(OUTBOUND_BINARY, dir_ / "bin" / "outbound");
    for (const std::string folder : {"examples", "scenarios", "docs", "tests", "scripts"})
      fs::create_directory_symlink(source_path(folder), dir_ / folder);
  }

  std::map<std::string, std::string> helps_;
};

TEST_F(readme, every_command_line_names_real_files_commands_and_options_and_runs) {
  const auto lines = sh_lines(text_of(source_path("README.md")));
  ASSERT_GT(lines.size(), 20u);
  int ran = 0;
  for (const auto& line : lines) {
    const auto words = words_of(line);
    for (const auto& w : words) {
      if (!names_a_shipped_file(w)) continue;
      std::string file = w.substr(w.find_first_not_of("@'\"["));
      file = file.substr(0, file.find_first_of("]'\""));
      EXPECT_TRUE(fs::exists(source_path(file))) << "README names " << file << " in: " << line;
    }
    if (words.empty() || words[0] != "outbound") continue;
    ASSERT_GT(words.size(), 1u) << line;
    const std::string& help = help_of(words);
    for (const auto& w : words)
      for (const auto& option : options_in(w)) {
        const auto at = help.find(option + " ");
        const auto at_eq = help.find(option + "=");
        const auto at_comma = help.find(option + ",");
        EXPECT_TRUE(at != std::string::npos || at_eq != std::string::npos ||
                    at_comma != std::string::npos)
            << "README uses " << option << " that `outbound " << words[1]
            << " --help` lacks, in: " << line;
      }
    if (!runnable(line, words)) continue;
    const auto r = run_line(line, words);
    EXPECT_EQ(r.exit_code, 0) << line << "\n" << r.output;
    ++ran;
  }
  EXPECT_GE(ran, 8) << "the README's runnable examples were not found";
}

// The other way round: every option that a command's --help lists is shown in a ```sh block of the
// README (an example or the command's synopsis), so nothing exists that the README keeps quiet
// about.
TEST_F(readme, every_option_of_every_command_is_in_a_sh_block) {
  const std::string readme_text = text_of(source_path("README.md"));
  std::string sh;
  for (const auto& line : sh_lines(readme_text)) sh += line + "\n";
  // Synopsis lines go on without a backslash: the whole of each block counts.
  static const std::regex block("```sh\n([^`]*)```");
  for (std::sregex_iterator it(readme_text.begin(), readme_text.end(), block), end; it != end; ++it)
    sh += (*it)[1].str();
  const auto top = run_outbound("--help");
  ASSERT_EQ(top.exit_code, 0) << top.output;
  std::vector<std::string> commands{"report render", "report merge"};
  static const std::regex command_line("\n  ([a-z][a-z-]*)  ");
  const std::string listed = top.output.substr(top.output.find("Subcommands:"));
  for (std::sregex_iterator it(listed.begin(), listed.end(), command_line), end; it != end; ++it)
    if ((*it)[1].str() != "report") commands.push_back((*it)[1].str());
  ASSERT_GT(commands.size(), 12u) << top.output;
  for (const auto& command : commands) {
    const auto help = run_outbound(command + " --help");
    ASSERT_EQ(help.exit_code, 0) << command << ": " << help.output;
    for (const auto& option : options_in(help.output)) {
      if (option == "--help") continue;
      const std::regex shown(option + "(?![a-z0-9-])");
      EXPECT_TRUE(std::regex_search(sh, shown))
          << "`outbound " << command << " --help` lists " << option
          << " but no ```sh block of the README shows it";
    }
  }
}

}  // namespace
}  // namespace outbound::testing
