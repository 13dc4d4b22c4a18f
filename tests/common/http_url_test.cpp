// The one URL parser: what it accepts, the parts it gives, and the words of what it refuses.
#include "common/http_url.hpp"

#include <gtest/gtest.h>

#include "common/input_error.hpp"

namespace outbound {
namespace {

TEST(http_url, gives_the_parts_a_transport_connects_with) {
  const http_url u = parse_http_url("HTTPS://ERP.example.com:8443/sf?x=1#top", "d.json", "/url");
  EXPECT_TRUE(u.tls);
  EXPECT_EQ(u.host, "erp.example.com");
  EXPECT_EQ(u.port, 8443);
  EXPECT_TRUE(u.port_written);
  EXPECT_EQ(u.target, "/sf?x=1");

  const http_url plain = parse_http_url("http://127.0.0.1", "f", "p");
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.port, 80);
  EXPECT_FALSE(plain.port_written);
  EXPECT_EQ(plain.target, "/");
  EXPECT_EQ(parse_http_url("http://[::1]:9/", "f", "p").host, "::1");
  EXPECT_EQ(parse_http_url("https://sap_internal.corp./in", "f", "p").host, "sap_internal.corp.");
}

TEST(http_url, refuses_what_could_only_fail_later_naming_file_field_and_value) {
  const std::string long_label(100000, 'a');
  const std::string long_name = std::string(200, 'a') + "." + std::string(60, 'b');
  struct bad {
    std::string url;
    const char* expected;
  };
  for (const bad& b : std::vector<bad>{
           {"", "absolute"},
           {"erp.example.com/in", "absolute"},
           {"ftp://h/", "http or https"},
           {"http:///in", "host name"},
           {"http://user:pw@h/", "user:password"},
           {"http://h:0/", "between 1 and 65535"},
           {"http://h:65536/", "between 1 and 65535"},
           {"http://h:99999999999999999999/", "between 1 and 65535"},
           {"http://h:12ab/", "digits only"},
           {"http://h%00ost/", "dot-separated labels"},
           {"http://h%20ost/", "dot-separated labels"},
           {"http://a..b/", "dot-separated labels"},
           {"http://" + long_label + "/", "dot-separated labels"},
           {"http://" + long_name + "/", "dot-separated labels"},
           {"http://[v1.x]/", "IPv4 or IPv6"},
       }) {
    SCOPED_TRACE(b.url.substr(0, 80));
    try {
      parse_http_url(b.url, "d.json", "/endpoint_url");
      ADD_FAILURE() << "accepted";
    } catch (const input_error& e) {
      EXPECT_EQ(e.file(), "d.json");
      EXPECT_EQ(e.path(), "/endpoint_url");
      EXPECT_NE(e.expected().find(b.expected), std::string::npos) << e.expected();
      EXPECT_LT(e.expected().size(), 300u) << "the URL is shortened, never echoed whole";
    }
  }
}

}  // namespace
}  // namespace outbound
