#pragma once
// What the tests of `outbound status/retry/delete/definitions` share: a fresh directory per test
// and stores made by the real `outbound send`, with failed, queued or delivered notifications.
//   class status_test : public store_fixture {};
//   const auto db = failed_store(3);  nlohmann::json s = status_json(db);  //
//   s["summary"]["failed"]

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "tests/cli/run_outbound.hpp"

namespace outbound::testing {

namespace fs = std::filesystem;

inline std::string text_of(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A loopback port nothing listens on: bound to port 0, then released (nothing reuses it this soon).
inline int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), size) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &size) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

// `outbound mock --listen 127.0.0.1:0` as a child process, stopped with SIGTERM at the end.
class mock_process {
 public:
  // `more` are further options of `outbound mock` ("--body-limit", "4096").
  explicit mock_process(const fs::path& dir, std::vector<std::string> more = {})
      : out_(dir / "mock.out") {
    std::vector<std::string> args = {OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"};
    args.insert(args.end(), more.begin(), more.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      if (!std::freopen(out_.c_str(), "w", stdout) || !std::freopen(out_.c_str(), "a", stderr))
        ::_exit(127);
      ::execv(OUTBOUND_BINARY, argv.data());
      ::_exit(127);
    }
    // The mock prints its address once it listens, and its admin listener's on the next line;
    // polling its output is the only way to know.
    const std::string prefix = "listening on ", admin_prefix = "admin on ";
    for (int i = 0; i < 2000 && (url_.empty() || admin_url_.empty()); ++i) {
      for (const auto& line : lines_of(text_of(out_))) {
        if (line.rfind(prefix, 0) == 0) url_ = line.substr(prefix.size());
        if (line.rfind(admin_prefix, 0) == 0) admin_url_ = line.substr(admin_prefix.size());
      }
      if (url_.empty() || admin_url_.empty())
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~mock_process() { stop(); }
  // SIGTERM, then its exit code (-1 when a signal ended it: a crash); once.
  int stop() {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  mock_process(const mock_process&) = delete;
  mock_process& operator=(const mock_process&) = delete;

  // http://127.0.0.1:PORT, or "" when the mock did not start.
  const std::string& url() const { return url_; }
  // Its admin listener's http://127.0.0.1:PORT (`--admin-listen`), or "".
  const std::string& admin_url() const { return admin_url_; }
  std::string output() const { return text_of(out_); }

 private:
  fs::path out_;
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::string url_, admin_url_;
};

class store_fixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("outbound_cli_") + test->test_suite_name() +
                                        "_" + test->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string account_definition() {
    return source_path("examples/definitions/account.json");
  }

  // `outbound send` of `records` new Accounts into a new store `name`, with `more` arguments.
  run_result send(const std::string& name, int records, const std::string& endpoint,
                  const std::string& more) {
    return run_outbound("send --definition " + account_definition() + " --endpoint " + endpoint +
                        " --store " + path(name) + " --records " + std::to_string(records) + " " +
                        more);
  }

  // A store whose `records` notifications each failed once against a closed port and, as the
  // definition uses the dead-letter queue, sit in the failed list.
  std::string failed_store(int records, const std::string& name = "store.db") {
    return unsent_store(name, records, "--retry fixed:1h,max_attempts=1", "failed");
  }

  // A store whose notifications are only queued (--for 0s sends nothing).
  std::string queued_store(int records, const std::string& name = "store.db") {
    return unsent_store(name, records, "--for 0s", "queued");
  }

  // `send` towards a closed port with `options`, leaving every notification in `state`.
  std::string unsent_store(const std::string& name, int records, const std::string& options,
                           const std::string& state) {
    endpoint_ = "http://127.0.0.1:" + std::to_string(unused_port()) + "/sap/ack";
    const auto r = send(name, records, endpoint_, options);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(std::to_string(records) + " " + state), std::string::npos) << r.output;
    return path(name);
  }

  // A store whose notifications the mock acknowledged.
  std::string delivered_store(int records, const std::string& name = "store.db") {
    mock_process mock(dir_);
    EXPECT_FALSE(mock.url().empty()) << mock.output();
    endpoint_ = mock.url() + "/sap/ack";
    const auto r = send(name, records, endpoint_, "");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return path(name);
  }

  // `outbound send --store` resuming `store` against a fresh mock (stopped on return).
  run_result resume_to_mock(const std::string& store) {
    mock_process mock(dir_);
    EXPECT_FALSE(mock.url().empty()) << mock.output();
    return run_outbound("send --store " + store + " --endpoint " + mock.url() + "/sap/ack");
  }

  // `outbound status --json`, parsed (discarded when it failed).
  nlohmann::json status_json(const std::string& store) {
    const auto r = run_outbound("status --json --store " + store);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return nlohmann::json::parse(r.output, nullptr, false);
  }

  // The status item of notification `id`, or null.
  static nlohmann::json item_of(const nlohmann::json& status, const std::string& id) {
    for (const auto& item : status["items"])
      if (item.value("id", "") == id) return item;
    return nullptr;
  }

  static time_point now() {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }

  fs::path dir_;
  std::string endpoint_;  // the URL the last store was made with
};

}  // namespace outbound::testing
