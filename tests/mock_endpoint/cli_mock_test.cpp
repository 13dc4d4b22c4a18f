// `outbound mock` as a user runs it: the printed address, faults from a file and from the admin
// API, exit 2 for a bad plan, a clean exit on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "soap/ack.hpp"
#include "tests/mock_endpoint/client.hpp"

namespace outbound::mock_endpoint {
namespace {

using namespace std::chrono_literals;
using namespace testing;

// The program with its stdout on a pipe and stderr in a file.
class child {
 public:
  explicit child(std::vector<std::string> args, const std::string& stderr_file = "") {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      if (!stderr_file.empty()) {
        FILE* err = fopen(stderr_file.c_str(), "w");
        if (err) dup2(fileno(err), 2);
      }
      close(out[0]);
      std::vector<char*> argv{const_cast<char*>(OUTBOUND_BINARY)};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(OUTBOUND_BINARY, argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = fdopen(out[0], "r");
  }
  ~child() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      (void)wait_exit();
    }
    if (out_) fclose(out_);
  }
  std::string line() {
    char buf[512];
    return fgets(buf, sizeof buf, out_) ? std::string(buf) : std::string();
  }
  void signal(int s) { kill(pid_, s); }
  int wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  bool exited_ = false;
};

bool have_binary() {
  return std::filesystem::exists(OUTBOUND_BINARY);
}

std::uint16_t port_of(const std::string& listening_line) {
  const auto colon = listening_line.rfind(':');
  return static_cast<std::uint16_t>(std::stoi(listening_line.substr(colon + 1)));
}

TEST(cli_mock, serves_faults_from_a_file_and_the_admin_api_until_sigterm) {
  if (!have_binary()) GTEST_SKIP() << "outbound not built";
  const auto plan = std::filesystem::temp_directory_path() /
                    ("outbound_cli_mock_plan_" + std::to_string(::getpid()) + ".json");
  std::ofstream(plan) << R"({"faults": [{"kind": "nack", "first": 1}]})";
  child mock({"mock", "--listen", "127.0.0.1:0", "--faults", plan.string(), "--seed", "3"});
  const std::string first = mock.line();
  ASSERT_EQ(first.rfind("listening on http://127.0.0.1:", 0), 0u) << first;
  const std::uint16_t port = port_of(first);
  const std::string body = soap::write_envelope(account_message(1));

  auto r = exchange_one(port, post_request(body));
  EXPECT_EQ(soap::classify_response(r.status, r.reason, r.content_type, r.body).kind,
            soap::response_kind::nack);
  r = exchange_one(port, post_request(body));
  EXPECT_EQ(soap::classify_response(r.status, r.reason, r.content_type, r.body).kind,
            soap::response_kind::ack);
  const std::string faults = R"({"faults": [{"kind": "http_status", "status": 503}]})";
  r = exchange_one(port, "POST /__admin/faults HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                             std::to_string(faults.size()) + "\r\n\r\n" + faults);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(exchange_one(port, post_request(body)).status, 503);
  const auto ledger =
      nlohmann::json::parse(exchange_one(port, get_request("/__admin/ledger")).body);
  EXPECT_EQ(ledger["notifications"], 3);
  // Nacked, then acked (a retry), then sent again after that ack (a duplicate).
  EXPECT_EQ(ledger["retries"], 1);
  EXPECT_EQ(ledger["duplicates"], 1);

  mock.signal(SIGTERM);
  EXPECT_EQ(mock.wait_exit(), 0);
  std::filesystem::remove(plan);
}

TEST(cli_mock, a_plan_with_a_mistake_exits_2) {
  if (!have_binary()) GTEST_SKIP() << "outbound not built";
  const auto plan = std::filesystem::temp_directory_path() /
                    ("outbound_cli_mock_bad_" + std::to_string(::getpid()) + ".json");
  std::ofstream(plan) << R"({"faults": [{"kind": "delay", "distribution": "zipf"}]})";
  const auto err = std::filesystem::temp_directory_path() /
                   ("outbound_cli_mock_bad_" + std::to_string(::getpid()) + ".err");
  child mock({"mock", "--faults", plan.string()}, err.string());
  EXPECT_EQ(mock.line(), "");  // never listened
  EXPECT_EQ(mock.wait_exit(), 2);
  std::stringstream message;
  message << std::ifstream(err).rdbuf();
  EXPECT_NE(message.str().find("/faults/0/distribution"), std::string::npos) << message.str();
  std::filesystem::remove(err);
  child listen({"mock", "--listen", "127.0.0.1:99999"});
  EXPECT_EQ(listen.wait_exit(), 2);
  std::filesystem::remove(plan);
}

}  // namespace
}  // namespace outbound::mock_endpoint
