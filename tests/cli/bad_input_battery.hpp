#pragma once
// The bad-input battery (issue 15): each case is a command line run in a folder of its own that
// holds good fixture files (definitions, a plan, a scenario, an envelope, a store, a report) and
// the case's bad files. Every case must end in exit 2 naming the place, without "internal error",
// a sanitizer report or a hang, and leave the folder byte-identical (no file changed, none added).
//   bad_input c{"plan with status 999", "mock --faults p.json", {{"p.json", "..."}}, {"p.json"}};
//   run_battery({c, ...});

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {

struct bad_input {
  std::string name;       // what is wrong, for the failure message
  std::string arguments;  // of `outbound`, run in the case's folder
  std::vector<std::pair<std::string, std::string>> files;  // written into the folder first
  std::vector<std::string> names;  // each must appear in the output: the file, option or field
};

// Good inputs every case may point at, made once per test program in a folder of their own.
class battery_fixtures {
 public:
  static battery_fixtures& get() {
    static battery_fixtures f;
    return f;
  }
  const fs::path& dir() const { return dir_; }

  // A minimal scenario on the virtual clock, next to account.json.
  static std::string scenario_text() {
    return R"({"name": "tiny", "duration": "10m", "seed": 3,
  "endpoints": [{"name": "erp", "path": "/erp"}],
  "definitions": [{"file": "account.json", "endpoint": "erp",
    "workload": {"records": 5, "changes": [{"kind": "burst", "at": "1m", "count": 5}]}}]})";
  }

  // Copies every fixture into `to`; the store and the report only when `arguments` name them,
  // as they cost a run of the program to make.
  void copy_into(const fs::path& to, const std::string& arguments) {
    for (const auto& entry : fs::directory_iterator(dir_)) {
      if (entry.is_regular_file()) fs::copy_file(entry.path(), to / entry.path().filename());
    }
    if (arguments.find("store.db") != std::string::npos) fs::copy_file(store(), to / "store.db");
    if (arguments.find("report.json") != std::string::npos)
      fs::copy_file(report(), to / "report.json");
  }

  // A store made by `outbound send`: 3 notifications queued for a closed port.
  const fs::path& store() {
    if (store_.empty()) {
      const fs::path made = dir_ / "made" / "store.db";
      fs::create_directories(made.parent_path());
      const auto r = run_outbound("send --definition " + (dir_ / "account.json").string() +
                                  " --endpoint http://127.0.0.1:" + std::to_string(unused_port()) +
                                  "/ --records 3 --for 0s --store " + made.string());
      EXPECT_EQ(r.exit_code, 1) << r.output;
      store_ = made;
    }
    return store_;
  }

  // The report.json of a run of scenario.json.
  const fs::path& report() {
    if (report_.empty()) {
      const fs::path out = dir_ / "made" / "run";
      const auto r =
          run_outbound("run " + (dir_ / "scenario.json").string() + " --out " + out.string());
      EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.output;
      report_ = out / "report.json";
    }
    return report_;
  }

  std::string text(const std::string& name) const { return text_of(dir_ / name); }

  ~battery_fixtures() { fs::remove_all(dir_); }
  battery_fixtures(const battery_fixtures&) = delete;
  battery_fixtures& operator=(const battery_fixtures&) = delete;

 private:
  battery_fixtures()
      : dir_(fs::temp_directory_path() /
             ("outbound_battery_fixtures_" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"account.json", "Account.wsdl", "Account.workflow-meta.xml"})
      fs::copy_file(source_path(std::string("examples/definitions/") + name), dir_ / name);
    fs::copy_file(source_path("examples/faults/http.json"), dir_ / "plan.json");
    std::ofstream(dir_ / "scenario.json") << scenario_text();
    std::ofstream(dir_ / "notpem.txt") << "this is not a certificate\n";
    const auto r =
        run_outbound("envelope --definition " + (dir_ / "account.json").string() +
                     " --notifications 2 --seed 1 > " + (dir_ / "envelope.xml").string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
  fs::path dir_;
  fs::path store_;
  fs::path report_;
};

// Every file and folder under `dir` with its content ("<folder>" for a folder), to compare.
inline std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).string();
    files[name] = entry.is_regular_file() ? text_of(entry.path()) : std::string("<folder>");
  }
  return files;
}

// Runs `sql` on the SQLite file `file` (to make foreign, newer or damaged stores).
inline void run_sql(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << (err ? err : "") << " in " << sql;
  sqlite3_free(err);
  sqlite3_close(db);
}

inline std::string shorten(const std::string& text) {
  return text.size() <= 600 ? text : text.substr(0, 600) + "...";
}

// The checks of one case; the folder is made fresh and removed after.
inline void run_bad_input(const bad_input& c, const fs::path& root, std::size_t index) {
  SCOPED_TRACE("case " + std::to_string(index) + ": " + c.name + ": outbound " +
               shorten(c.arguments));
  const fs::path dir = root / std::to_string(index);
  fs::create_directories(dir);
  battery_fixtures::get().copy_into(dir, c.arguments);
  for (const auto& [name, content] : c.files) {
    fs::create_directories((dir / name).parent_path());
    std::ofstream(dir / name, std::ios::binary) << content;
  }
  const auto before = snapshot(dir);
  // `timeout` turns a hang into exit 124 (and a crash is a signal, exit -1 or 128+N).
  const auto r = run_shell("cd " + dir.string() + " && timeout -k 5 30 " + OUTBOUND_BINARY + " " +
                           c.arguments + " </dev/null");
  EXPECT_EQ(r.exit_code, 2) << shorten(r.output);
  for (const auto& word : c.names)
    EXPECT_NE(r.output.find(word), std::string::npos)
        << "the message does not name \"" << shorten(word) << "\": " << shorten(r.output);
  for (const char* symptom : {"internal error", "Sanitizer", "runtime error"})
    EXPECT_EQ(r.output.find(symptom), std::string::npos) << shorten(r.output);
  EXPECT_LT(r.output.size(), 4000u) << "a message should not echo a whole input";
  EXPECT_TRUE(snapshot(dir) == before) << "a refused command changed or added a file";
  fs::remove_all(dir);
}

// Runs every case in a temporary folder of the current test.
inline void run_battery(const std::vector<bad_input>& cases) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path root =
      fs::temp_directory_path() /
      ("outbound_battery_" + std::string(test->name()) + "_" + std::to_string(::getpid()));
  fs::remove_all(root);
  for (std::size_t i = 0; i < cases.size(); ++i) run_bad_input(cases[i], root, i);
  fs::remove_all(root);
}

}  // namespace outbound::testing
