#pragma once
// Helpers for the tests that run `outbound send` and `outbound mock` as child processes: start,
// wait, kill -9, read what they printed, and a tiny blocking HTTP GET for the mock's admin API.
//   child mock({OUTBOUND_BINARY, "mock"}, dir);  std::string url = mock.wait_for_line("listening on
//   "); nlohmann::json ledger = nlohmann::json::parse(http_get(url + "/__admin/ledger"));

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace outbound::integration {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory under /tmp for one test, removed afterwards.
class temp_dir {
 public:
  explicit temp_dir(const std::string& name)
      : path_(fs::temp_directory_path() / ("outbound_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~temp_dir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// A child process whose stdout and stderr go to files in `dir`.
class child {
 public:
  child(std::vector<std::string> args, const fs::path& dir) {
    static int counter = 0;
    const std::string tag = std::to_string(++counter);
    out_ = dir / ("child" + tag + ".out");
    err_ = dir / ("child" + tag + ".err");
    pid_ = ::fork();
    if (pid_ == 0) {
      if (!std::freopen(out_.c_str(), "w", stdout) || !std::freopen(err_.c_str(), "w", stderr))
        ::_exit(127);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~child() {
    if (running()) kill(SIGKILL);
    if (!exited_) wait();
  }
  child(const child&) = delete;
  child& operator=(const child&) = delete;

  bool running() {
    if (exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) record(status);
    return !exited_;
  }
  void kill(int sig) { ::kill(pid_, sig); }
  // The exit code; 128+N for a signal N.
  int wait() {
    if (!exited_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      record(status);
    }
    return code_;
  }
  // Waits up to `limit` for the process to end; -1 if it is still running then.
  int wait_for(std::chrono::milliseconds limit) {
    for (auto waited = 0ms; waited < limit; waited += 10ms) {
      if (!running()) return code_;
      std::this_thread::sleep_for(10ms);
    }
    return running() ? -1 : code_;
  }
  std::string out() const { return read_text(out_); }
  std::string err() const { return read_text(err_); }
  // The rest of the first stdout line starting with `prefix`, waiting up to 20 s for it.
  std::string wait_for_line(const std::string& prefix) {
    for (int i = 0; i < 2000; ++i) {
      std::istringstream lines(out());
      for (std::string line; std::getline(lines, line);)
        if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
      if (!running()) break;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "no line starting with '" << prefix << "'; stdout: " << out()
                  << " stderr: " << err();
    return {};
  }

 private:
  void record(int status) {
    exited_ = true;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_t pid_ = -1;
  bool exited_ = false;
  int code_ = -1;
  fs::path out_, err_;
};

// GET http://HOST:PORT/target, blocking; the body, or "" on any error.
inline std::string http_get(const std::string& base_url, const std::string& target) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  const std::string rest = base_url.substr(base_url.find("://") + 3);
  const std::string host = rest.substr(0, rest.rfind(':'));
  const std::string port = rest.substr(rest.rfind(':') + 1);
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  asio::connect(socket, resolver.resolve(host, port, ec), ec);
  if (ec) return {};
  http::request<http::string_body> req(http::verb::get, target, 11);
  req.set(http::field::host, host);
  http::write(socket, req, ec);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res, ec);
  return ec ? std::string() : res.body();
}

// A port nothing listens on right now (bound, then released).
inline std::string free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return std::to_string(a.local_endpoint().port());
}

inline std::string definition_file() {
  return std::string(OUTBOUND_SOURCE_DIR) + "/examples/definitions/account.json";
}

}  // namespace outbound::integration
