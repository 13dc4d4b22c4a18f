// `outbound mock`: every user error (a busy or impossible --listen, a missing or non-PEM
// certificate or key, a bad number, an unknown --message) is exit 2 naming the option, and the
// options it takes start it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/test_certificates.hpp"
#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

class mock_command : public store_fixture {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }

  // Writes cert.pem and key.pem of a fresh localhost certificate.
  void write_identity() {
    const auto now = store_fixture::now();
    const auto day = std::chrono::hours(24);
    const auto ca = net::make_certificate_authority("test CA", now - day, now + day);
    const auto leaf = net::issue_certificate(ca, {"localhost", "127.0.0.1"}, now - day, now + day);
    write("cert.pem", leaf.certificate);
    write("key.pem", leaf.private_key);
    write("ca.pem", ca.certificate);
    write("ca-key.pem", ca.private_key);
  }

  // `outbound mock ARGS` until it prints where it listens (or ends), then SIGTERM: its exit code
  // and output.
  run_result start_and_stop(const std::string& arguments) {
    const std::string out = path("mock.out");
    return run_shell(std::string(OUTBOUND_BINARY) + " mock " + arguments + " > " + out +
                     " 2>&1 & pid=$!; for i in $(seq 1000); do grep -q 'listening on' " + out +
                     " && break; kill -0 $pid 2>/dev/null || break; sleep 0.01; done; kill $pid "
                     "2>/dev/null; wait $pid; rc=$?; cat " +
                     out + "; exit $rc");
  }

  static void expect_refused(const run_result& r, const std::vector<std::string>& words) {
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("listening on"), std::string::npos) << r.output;
    for (const auto& w : words) EXPECT_NE(r.output.find(w), std::string::npos) << w << r.output;
  }
};

// A loopback socket listening on a port, so the mock finds it busy.
class listening_socket {
 public:
  listening_socket() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof a;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), size), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &size), 0);
    port_ = ntohs(a.sin_port);
  }
  ~listening_socket() { ::close(fd_); }
  listening_socket(const listening_socket&) = delete;
  listening_socket& operator=(const listening_socket&) = delete;
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST_F(mock_command, a_busy_port_is_exit_2_naming_listen) {
  listening_socket busy;
  const std::string address = "127.0.0.1:" + std::to_string(busy.port());
  expect_refused(start_and_stop("--listen " + address), {"--listen", address, "in use"});
}

TEST_F(mock_command, an_address_that_is_no_ip_address_is_exit_2) {
  expect_refused(start_and_stop("--listen 999.1.1.1:0"), {"--listen", "999.1.1.1"});
  expect_refused(start_and_stop("--listen example.invalid:0"), {"--listen", "example.invalid"});
  expect_refused(start_and_stop("--listen 127.0.0.1:65536"), {"--listen", "65535"});
}

TEST_F(mock_command, an_address_of_another_machine_is_exit_2) {
  // TEST-NET-1 is never assigned to this machine, so binding to it fails.
  expect_refused(start_and_stop("--listen 192.0.2.1:0 --admin-token t"),
                 {"--listen", "192.0.2.1:0", "listen on"});
}

TEST_F(mock_command, a_missing_certificate_is_exit_2_saying_it_does_not_exist) {
  write_identity();
  expect_refused(
      start_and_stop("--tls-cert " + path("absent.pem") + " --tls-key " + path("key.pem")),
      {"--tls-cert", "absent.pem", "does not exist"});
  expect_refused(start_and_stop("--tls-cert " + path("cert.pem") + " --tls-key " + dir_.string()),
                 {"--tls-key", "directory"});
}

TEST_F(mock_command, a_certificate_or_key_that_is_not_pem_is_exit_2) {
  write_identity();
  const auto junk = write("junk.pem", "this is not a certificate\n");
  expect_refused(start_and_stop("--tls-cert " + junk + " --tls-key " + path("key.pem")),
                 {"--tls-cert", "junk.pem", "PEM certificate"});
  expect_refused(start_and_stop("--tls-cert " + path("cert.pem") + " --tls-key " + junk),
                 {"--tls-key", "junk.pem", "PEM private key"});
  // The CA's key belongs to another certificate.
  expect_refused(
      start_and_stop("--tls-cert " + path("cert.pem") + " --tls-key " + path("ca-key.pem")),
      {"--tls-key", "ca-key.pem"});
  expect_refused(start_and_stop("--tls-cert " + path("cert.pem") + " --tls-key " + path("key.pem") +
                                " --client-ca " + junk),
                 {"--client-ca", "junk.pem"});
  expect_refused(
      start_and_stop("--tls-cert " + path("cert.pem") + " --tls-key " + path("key.pem") +
                     " --tls-fault-ca " + junk + " --tls-fault-ca-key " + path("ca-key.pem")),
      {"--tls-fault-ca", "junk.pem"});
}

TEST_F(mock_command, good_certificates_serve_https) {
  write_identity();
  const auto r = start_and_stop("--tls-cert " + path("cert.pem") + " --tls-key " + path("key.pem") +
                                " --client-ca " + path("ca.pem") + " --tls-fault-ca " +
                                path("ca.pem") + " --tls-fault-ca-key " + path("ca-key.pem"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("listening on https://127.0.0.1:"), std::string::npos) << r.output;
}

TEST_F(mock_command, a_body_limit_or_seed_out_of_range_is_exit_2) {
  expect_refused(start_and_stop("--body-limit -1"), {"--body-limit", "1 to 1073741824", "\"-1\""});
  expect_refused(start_and_stop("--body-limit 0"), {"--body-limit"});
  expect_refused(start_and_stop("--body-limit 1e9"), {"--body-limit"});
  expect_refused(start_and_stop("--body-limit 99999999999999999999999"), {"--body-limit"});
  expect_refused(start_and_stop("--seed -5"), {"--seed"});
}

TEST_F(mock_command, message_picks_one_message_of_the_definition) {
  const auto workflow = source_path("examples/definitions/Account.workflow-meta.xml");
  const auto r = start_and_stop("--definition " + workflow + " --message Notify_ERP");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("listening on http://127.0.0.1:"), std::string::npos) << r.output;
}

TEST_F(mock_command, an_unknown_message_is_exit_2_listing_the_messages) {
  const auto workflow = source_path("examples/definitions/Account.workflow-meta.xml");
  expect_refused(start_and_stop("--definition " + workflow + " --message Nope"),
                 {"Nope", "Notify_ERP"});
  expect_refused(start_and_stop("--definition " + account_definition() + " --message Nope"),
                 {"--message", "Nope", "Notify_ERP"});
  expect_refused(start_and_stop("--message Notify_ERP"), {"--message", "--definition"});
}

}  // namespace
}  // namespace outbound::testing
