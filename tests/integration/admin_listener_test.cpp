// The mock as a CI control plane: `outbound mock` and `outbound send` as child processes. An outage
// started through the admin listener holds every notification back, while the admin listener
// still answers health, ledger and metrics; ending the outage through the API lets the sender
// drain. For refuse, stall, reset_before_read, and each TLS fault over HTTPS.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "common/clock.hpp"
#include "net/test_certificates.hpp"
#include "tests/integration/send_helpers.hpp"

namespace outbound::integration {
namespace {

using nlohmann::json;

// An HTTP request to the admin listener; the body, or "" on any error.
std::string admin_call(const std::string& admin_url, boost::beast::http::verb method,
                       const std::string& target, const std::string& body = {}) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  const std::string rest = admin_url.substr(admin_url.find("://") + 3);
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  asio::connect(
      socket,
      resolver.resolve(rest.substr(0, rest.rfind(':')), rest.substr(rest.rfind(':') + 1), ec), ec);
  if (ec) return {};
  http::request<http::string_body> req(method, target, 11);
  req.set(http::field::host, "127.0.0.1");
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req, ec);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res, ec);
  return ec ? std::string() : res.body();
}

// How many times the mock injected `kind`, from its metrics on the admin listener.
std::uint64_t injected(const std::string& admin, const std::string& kind) {
  const std::string metrics = http_get(admin, "/__admin/metrics");
  const std::string key = "outbound_mock_faults_injected_total{kind=\"" + kind + "\"} ";
  const auto at = metrics.find(key);
  return at == std::string::npos ? 0 : std::stoull(metrics.substr(at + key.size()));
}

// Notifications of the store in `dir` waiting for a retry, from `outbound status --json`.
int retrying(const temp_dir& dir) {
  child look({OUTBOUND_BINARY, "status", "--store", dir / "store.db", "--json"}, dir.path());
  if (look.wait() != 0) return -1;
  const json status = json::parse(look.out(), nullptr, false);
  return status.is_discarded() ? -1 : status["summary"].value("retrying", 0);
}

struct tls_files {
  std::string cert, key, ca, ca_key;
};

tls_files write_tls(const temp_dir& dir) {
  const time_point now = system_clock().now();
  const auto day = std::chrono::hours(24);
  const net::pem_identity ca =
      net::make_certificate_authority("admin test CA", now - day, now + day);
  const net::pem_identity leaf =
      net::issue_certificate(ca, {"127.0.0.1", "localhost"}, now - day, now + day);
  tls_files f{dir / "cert.pem", dir / "key.pem", dir / "ca.pem", dir / "ca_key.pem"};
  std::ofstream(f.cert) << leaf.certificate << ca.certificate;
  std::ofstream(f.key) << leaf.private_key;
  std::ofstream(f.ca) << ca.certificate;
  std::ofstream(f.ca_key) << ca.private_key;
  return f;
}

void outage_then_drain(const std::string& kind, bool tls) {
  SCOPED_TRACE(kind);
  temp_dir dir("admin_" + kind);
  std::vector<std::string> mock_args{OUTBOUND_BINARY, "mock",  "--listen",
                                     "127.0.0.1:0",   "--log", "requests"};
  tls_files files;
  if (tls) {
    files = write_tls(dir);
    for (const std::string& a :
         {std::string("--tls-cert"), files.cert, std::string("--tls-key"), files.key,
          std::string("--tls-fault-ca"), files.ca, std::string("--tls-fault-ca-key"), files.ca_key})
      mock_args.push_back(a);
  }
  child mock(mock_args, dir.path());
  const std::string url = mock.wait_for_line("listening on ");
  const std::string admin = mock.wait_for_line("admin on ");
  ASSERT_FALSE(admin.empty());

  // A stalled connection is held for an hour: only the sender's deadline gets it out.
  const json fault = kind == "stall" ? json{{"kind", kind}, {"hold", "1h"}} : json{{"kind", kind}};
  const json started = json::parse(
      admin_call(admin, boost::beast::http::verb::post, "/__admin/outage", fault.dump()), nullptr,
      false);
  ASSERT_TRUE(started.is_object()) << mock.err();
  ASSERT_EQ(started.value("active", false), true) << started.dump();

  std::vector<std::string> send_args{
      OUTBOUND_BINARY, "send",        "--definition", definition_file(),
      "--endpoint",    url + "/ack",  "--store",      dir / "store.db",
      "--records",     "12",          "--batch",      "5",
      "--retry",       "fixed:100ms", "--timeout",    "500ms"};
  if (tls) {
    send_args.push_back("--ca-file");
    send_args.push_back(files.ca);
  }
  child send(send_args, dir.path());

  // Every notification failed at least once, with the fault counted; the admin listener answered
  // all along.
  for (int i = 0; i < 3000 && (retrying(dir) < 12 || injected(admin, kind) == 0); ++i)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(retrying(dir), 12) << mock.err() << send.err();
  ASSERT_GE(injected(admin, kind), 1u) << mock.err() << send.err();
  EXPECT_EQ(json::parse(http_get(admin, "/__admin/health")).value("status", ""), "ok");
  const json during = json::parse(http_get(admin, "/__admin/ledger"));
  EXPECT_EQ(during.value("acked_notifications", 1u), 0u) << during.dump();
  EXPECT_NE(http_get(admin, "/__admin/metrics").find("outbound_mock_outage_active 1"),
            std::string::npos);
  EXPECT_TRUE(send.running());

  const json ended = json::parse(
      admin_call(admin, boost::beast::http::verb::delete_, "/__admin/outage"), nullptr, false);
  EXPECT_EQ(ended.value("ended", false), true) << ended.dump();
  ASSERT_EQ(send.wait_for(60000ms), 0) << send.out() << send.err();
  const json after = json::parse(http_get(admin, "/__admin/ledger"));
  EXPECT_EQ(after.value("acked_notifications", 0u), 12u) << after.dump();
  EXPECT_NE(http_get(admin, "/__admin/metrics").find("outbound_mock_outage_active 0"),
            std::string::npos);

  mock.kill(SIGTERM);
  EXPECT_EQ(mock.wait(), 0);
  // The window opening and closing, and the requests, are on stderr.
  EXPECT_NE(mock.err().find("fault window opened: outage: " + kind), std::string::npos)
      << mock.err();
  EXPECT_NE(mock.err().find("fault window closed: outage: " + kind), std::string::npos)
      << mock.err();
  EXPECT_NE(mock.err().find("answer=acked status=200"), std::string::npos) << mock.err();
}

TEST(admin_listener, refuse_outage_on_demand_then_drain) {
  outage_then_drain("refuse", false);
}

TEST(admin_listener, stall_outage_on_demand_then_drain) {
  outage_then_drain("stall", false);
}

TEST(admin_listener, reset_before_read_outage_on_demand_then_drain) {
  outage_then_drain("reset_before_read", false);
}

TEST(admin_listener, tls_fault_outages_on_demand_then_drain) {
  for (const std::string kind : {"tls_untrusted", "tls_hostname", "tls_expired"})
    outage_then_drain(kind, true);
}

TEST(admin_listener, refuse_over_https_then_drain) {
  outage_then_drain("refuse", true);
}

// `promtool check metrics` on the metrics text; its output, with the exit code first.
std::string promtool(const temp_dir& dir, const std::string& metrics) {
  std::ofstream(dir / "metrics.txt") << metrics;
  const std::string command = "promtool check metrics < " + (dir / "metrics.txt") + " > " +
                              (dir / "promtool.out") + " 2>&1";
  const int status = std::system(command.c_str());
  return std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128) + " " +
         read_text(dir / "promtool.out");
}

std::uint64_t response_count(const std::string& metrics) {
  const std::string key = "outbound_mock_response_seconds_count ";
  const auto at = metrics.find(key);
  return at == std::string::npos ? 0 : std::stoull(metrics.substr(at + key.size()));
}

TEST(admin_listener, promtool_passes_during_an_outage_and_after_10000_requests) {
  if (std::system("command -v promtool > /dev/null 2>&1") != 0)
    GTEST_SKIP()
        << "promtool is not installed (Debian package prometheus; scripts/test installs it)";
  temp_dir dir("admin_promtool");
  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0"}, dir.path());
  const std::string url = mock.wait_for_line("listening on ");
  const std::string admin = mock.wait_for_line("admin on ");
  ASSERT_FALSE(admin.empty());
  admin_call(admin, boost::beast::http::verb::post, "/__admin/outage",
             R"({"kind": "http_status", "status": 503})");
  child send({OUTBOUND_BINARY, "send", "--definition", definition_file(), "--endpoint", url + "/",
              "--store", ":memory:", "--records", "10000", "--batch", "1", "--connections", "8",
              "--retry", "fixed:100ms"},
             dir.path());
  for (int i = 0; i < 3000 && injected(admin, "http_status") < 10; ++i)
    std::this_thread::sleep_for(10ms);
  const std::string during = http_get(admin, "/__admin/metrics");
  EXPECT_NE(during.find("outbound_mock_outage_active 1"), std::string::npos);
  EXPECT_NE(during.find("{outcome=\"faulted\",fault=\"http_status\"}"), std::string::npos)
      << during;
  EXPECT_EQ(promtool(dir, during).substr(0, 2), "0 ") << promtool(dir, during);

  admin_call(admin, boost::beast::http::verb::delete_, "/__admin/outage");
  ASSERT_EQ(send.wait_for(120000ms), 0) << send.out() << send.err();
  const std::string after = http_get(admin, "/__admin/metrics");
  EXPECT_GE(response_count(after), 10000u) << after;
  EXPECT_NE(after.find("outbound_mock_acked_notifications_total 10000\n"), std::string::npos)
      << after;
  EXPECT_EQ(promtool(dir, after).substr(0, 2), "0 ") << promtool(dir, after);
}

// Off loopback the token is required; once set it is checked on loopback too, which a test can
// reach (tests listen on 127.0.0.1 only).
TEST(admin_listener, a_token_from_a_file_or_the_environment_guards_the_admin_listener) {
  temp_dir dir("admin_token");
  std::ofstream(dir / "token") << "s3cret\n";
  child mock({OUTBOUND_BINARY, "mock", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
              "--admin-token-file", dir / "token"},
             dir.path());
  const std::string admin = mock.wait_for_line("admin on ");
  ASSERT_FALSE(admin.empty());
  // Without the token: 401 with an error body, never the ledger.
  const std::string refused = http_get(admin, "/__admin/ledger");
  EXPECT_NE(refused.find("Bearer"), std::string::npos) << refused;
  // With it, mock-ctl reads the ledger (token from the environment).
  ASSERT_EQ(::setenv("OUTBOUND_ADMIN_TOKEN", "s3cret", 1), 0);
  child ctl({OUTBOUND_BINARY, "mock-ctl", "--admin", admin, "ledger"}, dir.path());
  EXPECT_EQ(ctl.wait(), 0) << ctl.err();
  EXPECT_NE(ctl.out().find("unique_notifications"), std::string::npos) << ctl.out();
  ::unsetenv("OUTBOUND_ADMIN_TOKEN");
  child wrong({OUTBOUND_BINARY, "mock-ctl", "--admin", admin, "ledger"}, dir.path());
  EXPECT_EQ(wrong.wait(), 1);
  EXPECT_NE(wrong.err().find("401"), std::string::npos) << wrong.err();
}

}  // namespace
}  // namespace outbound::integration
