// Endpoint URLs: the parts the transport needs, and errors that name the field.
#include "sender/destination.hpp"

#include <gtest/gtest.h>

#include "common/input_error.hpp"

namespace outbound::sender {
namespace {

TEST(destination, http_with_default_port_and_empty_path) {
  destination ep = parse_destination("http://ERP.example.com");
  EXPECT_FALSE(ep.tls);
  EXPECT_EQ(ep.host, "erp.example.com");
  EXPECT_EQ(ep.port, "80");
  EXPECT_EQ(ep.target, "/");
  EXPECT_EQ(ep.url, "http://ERP.example.com");
  EXPECT_EQ(host_header(ep), "erp.example.com");
  EXPECT_EQ(pool_key(ep), "http://erp.example.com:80");
}

TEST(destination, https_with_port_path_and_query) {
  destination ep = parse_destination("HTTPS://erp.example.com:8443/sap/bc/srt?sap-client=100#frag");
  EXPECT_TRUE(ep.tls);
  EXPECT_EQ(ep.port, "8443");
  EXPECT_EQ(ep.target, "/sap/bc/srt?sap-client=100");
  EXPECT_EQ(host_header(ep), "erp.example.com:8443");
  EXPECT_EQ(parse_destination("https://erp.example.com/x").port, "443");
  EXPECT_EQ(host_header(parse_destination("https://erp.example.com:443/x")), "erp.example.com");
}

TEST(destination, ipv6_literal_without_brackets) {
  destination ep = parse_destination("http://[::1]:8080/ack");
  EXPECT_EQ(ep.host, "::1");
  EXPECT_EQ(host_header(ep), "[::1]:8080");
  EXPECT_EQ(pool_key(ep), "http://[::1]:8080");
}

TEST(destination, same_host_and_port_share_a_pool) {
  EXPECT_EQ(pool_key(parse_destination("http://127.0.0.1:9000/a")),
            pool_key(parse_destination("http://127.0.0.1:9000/b?c")));
  EXPECT_NE(pool_key(parse_destination("http://127.0.0.1:9000/a")),
            pool_key(parse_destination("https://127.0.0.1:9000/a")));
}

TEST(destination, bad_urls_are_input_errors_naming_the_field) {
  for (const char* bad :
       {"", "erp.example.com/ack", "ftp://erp.example.com/", "http:///path", "http://h:0/",
        "http://h:70000/", "http://h:12ab/", "http://user:pw@h/", "mailto:a@b.c"}) {
    try {
      parse_destination(bad, "def.json", "/endpointUrl");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const input_error& e) {
      EXPECT_EQ(e.file(), "def.json") << bad;
      EXPECT_EQ(e.path(), "/endpointUrl") << bad;
      EXPECT_NE(e.expected().find(bad), std::string::npos) << e.expected();
    }
  }
}

}  // namespace
}  // namespace outbound::sender
