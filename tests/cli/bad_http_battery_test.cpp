// The bad-input battery, HTTP: malformed requests to a running `outbound mock` (bad envelopes,
// wrong content types, huge headers, invalid UTF-8, truncated bodies, bad admin API calls). Each
// gets the documented status (docs/faults.md), the mock keeps serving, a refused plan leaves the
// plan in force unchanged, and SIGTERM still ends the mock cleanly.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <set>

#include "tests/cli/store_fixture.hpp"

namespace outbound::testing {
namespace {

// What the mock answered: the status (0 when it closed without an answer) and the whole reply.
struct answer {
  int status = 0;
  std::string text;
};

// Sends `request` as is on a new connection, ends the sending side and reads until the mock
// closes. Every step has a 10 s deadline, so a hung mock fails the case instead of the program.
answer send_raw(int port, const std::string& request) {
  answer a;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval deadline{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &deadline, sizeof deadline);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &deadline, sizeof deadline);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return a;
  }
  for (std::size_t sent = 0; sent < request.size();) {
    const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the mock may answer (413) and close before reading everything
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char buffer[65536];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
    a.text.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  if (a.text.rfind("HTTP/1.1 ", 0) == 0 && a.text.size() >= 12)
    a.status = std::stoi(a.text.substr(9, 3));
  return a;
}

std::string request(const std::string& method, const std::string& target, const std::string& body,
                    const std::string& headers = "Content-Type: text/xml; charset=utf-8\r\n") {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

std::string post(const std::string& body) {
  return request("POST", "/", body);
}
std::string post_plan(const std::string& plan) {
  return request("POST", "/__admin/faults", plan, "Content-Type: application/json\r\n");
}
std::string get(const std::string& target) {
  return request("GET", target, "", "");
}

struct bad_request {
  std::string name;
  std::string bytes;
  std::set<int> statuses;  // the documented answers; 0: closed without one
};

std::vector<bad_request> bad_requests() {
  const std::string invalid_utf8 = "\xff\xfe\xc3";
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  std::string high_bytes;
  for (int b = 0x80; b < 256; ++b) high_bytes += static_cast<char>(b);
  const std::string envelope =
      text_of(source_path("tests/soap/data/reference_sample_opportunity_request.xml"));
  const std::string doctype =
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
      "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
      envelope.substr(envelope.find("<soapenv:Envelope"));
  return {
      {"a body that is no XML", post("hello"), {500}},
      {"an empty body", post(""), {500}},
      {"an envelope with a DOCTYPE", post(doctype), {500}},
      {"a body of invalid UTF-8", post("<a>" + invalid_utf8 + "</a>"), {500}},
      {"a body of every byte value", post(every_byte), {500}},
      {"a JSON body as application/json",
       request("POST", "/", "{}", "Content-Type: application/json\r\n"),
       {500}},
      {"a truncated envelope", post(envelope.substr(0, envelope.size() / 2)), {500}},
      {"an envelope 100,000 elements deep",
       post([] {
         std::string deep;
         for (int i = 0; i < 100000; ++i) deep += "<a>";
         for (int i = 0; i < 100000; ++i) deep += "</a>";
         return deep;
       }()),
       {500}},
      {"a body over --body-limit", post(std::string(1100000, 'x')), {413}},
      {"a Content-Length of 10^20",
       "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
       {400, 413}},
      {"a 100 KB header",
       request("POST", "/", "x", "X-Big: " + std::string(100000, 'h') + "\r\n"),
       {400, 431}},
      {"a request line of binary bytes", std::string("\x00\x01\x02 / HTTP/1.1\r\n\r\n", 18), {400}},
      {"HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", {400}},
      {"a target of invalid UTF-8", get("/" + invalid_utf8), {405}},
      {"a target of every high byte", get("/" + high_bytes), {405}},
      {"a POST to a target of invalid UTF-8", request("POST", "/" + invalid_utf8, "x"), {500}},
      {"a header of invalid UTF-8",
       request("POST", "/", "x", "X-Name: " + invalid_utf8 + "\r\nContent-Type: text/xml\r\n"),
       {500}},
      {"a method of its own", request("FROB", "/", "x"), {405}},
      {"a chunk size that is no number",
       "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
       {400}},
      {"chunked and a Content-Length",
       "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
       "0\r\n\r\n",
       {400}},
      {"a body shorter than its Content-Length",
       "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<soapenv:Env",
       {0, 400}},
      {"the WSDL without --definition", get("/?wsdl"), {404}},
      {"requests?limit=-1", get("/__admin/requests?limit=-1"), {400}},
      {"requests?limit=abc", get("/__admin/requests?limit=abc"), {400}},
      {"requests?limit=10^23", get("/__admin/requests?limit=99999999999999999999999"), {400}},
      {"a plan that is no JSON", post_plan("{faults"), {400}},
      {"an empty plan body", post_plan(""), {400}},
      {"a plan of an unknown kind", post_plan(R"({"faults": [{"kind": "explode"}]})"), {400}},
      {"a plan with 1e999", post_plan(R"({"faults": [{"kind": "nack", "every": 1e999}]})"), {400}},
      {"a plan of invalid UTF-8",
       post_plan("{\"faults\": [{\"kind\": \"nack\", \"note\": \"" + invalid_utf8 + "\"}]}"),
       {400}},
      {"a plan of 3e9 garbage bytes",
       post_plan(R"({"faults": [{"kind": "garbage", "bytes": 3000000000}]})"),
       {400}},
      {"a plan with status 999",
       post_plan(R"({"faults": [{"kind": "http_status", "status": 999}]})"),
       {400}},
      {"a plan with a TLS fault", post_plan(R"({"faults": [{"kind": "tls_expired"}]})"), {400}},
      {"a plan 100,000 deep",
       post_plan(std::string(100000, '[') + std::string(100000, ']')),
       {400}},
      {"DELETE of the plan", request("DELETE", "/__admin/faults", ""), {405}},
      {"PUT of health", request("PUT", "/__admin/health", ""), {405}},
      {"an unknown admin resource", get("/__admin/nope"), {404}},
      // Raw bytes past ASCII make the target no URL (Boost.URL): 400, a JSON error like a 404.
      {"a notification id of invalid UTF-8",
       get("/__admin/ledger/notifications/" + invalid_utf8),
       {400, 404}},
  };
}

TEST(bad_input_battery, http_requests_to_the_mock) {
  const fs::path dir =
      fs::temp_directory_path() / ("outbound_battery_http_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    mock_process mock(dir, {"--body-limit", "1048576"});
    ASSERT_FALSE(mock.url().empty()) << mock.output();
    const int port = std::stoi(mock.url().substr(mock.url().rfind(':') + 1));
    for (const auto& r : bad_requests()) {
      SCOPED_TRACE(r.name);
      const auto a = send_raw(port, r.bytes);
      EXPECT_TRUE(r.statuses.count(a.status)) << a.status << "\n" << a.text.substr(0, 600);
      EXPECT_EQ(send_raw(port, get("/__admin/health")).status, 200) << "the mock stopped serving";
    }
    // The list of requests (targets of invalid UTF-8 included) is still JSON.
    const auto requests = send_raw(port, get("/__admin/requests?limit=1000"));
    ASSERT_EQ(requests.status, 200) << requests.text.substr(0, 600);
    const auto body =
        nlohmann::json::parse(requests.text.substr(requests.text.find("\r\n\r\n")), nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << requests.text.substr(0, 600);
    EXPECT_FALSE(body["requests"].empty()) << body.dump();
    // No refused plan replaced the (empty) plan in force.
    const auto plan = send_raw(port, get("/__admin/faults"));
    ASSERT_EQ(plan.status, 200);
    const auto faults = nlohmann::json::parse(plan.text.substr(plan.text.find("\r\n\r\n")));
    EXPECT_TRUE(faults["faults"].empty()) << faults.dump();
    EXPECT_EQ(mock.stop(), 0) << mock.output();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace outbound::testing
