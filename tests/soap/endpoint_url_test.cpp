#include <gtest/gtest.h>

#include "soap/definition.hpp"
#include "tests/soap/definition_test_util.hpp"

namespace outbound::soap {
namespace {

TEST(endpoint_url, accepts_what_salesforce_accepts) {
  for (const char* url :
       {"https://some.site", "http://erp.example.com/notify", "http://127.0.0.1:8080/in",
        "https://[::1]:1024/x?a=b", "HTTPS://Host.Example.com:443/", "http://h:80",
        "https://h:65535", "http://h:1024"})
    EXPECT_NO_THROW(check_endpoint_url(url, false, "f", "/u")) << url;
  EXPECT_NO_THROW(check_endpoint_url("https://h:8443/in", true, "f", "/u"));
}

TEST(endpoint_url, rejects_the_rest_naming_file_and_path) {
  struct bad {
    const char* url;
    bool session;
    const char* mentions;
  };
  for (const bad& b : std::vector<bad>{{"", false, "absolute"},
                                       {"/relative/path", false, "absolute"},
                                       {"ftp://h/x", false, "http or https"},
                                       {"mailto:a@b.c", false, "http or https"},
                                       {"http:///nohost", false, "host"},
                                       {"http://h:443/", false, "80 or 1024"},
                                       {"https://h:80/", false, "443 or 1024"},
                                       {"http://h:1023/", false, "1024"},
                                       {"http://h:65536/", false, "65535"},
                                       {"http://h:99999999/", false, "65535"},
                                       {"http://h/", true, "session id"},
                                       {"http://h:8080/", true, "session id"}}) {
    SCOPED_TRACE(b.url);
    std::string text = testing::expect_input_error(
        [&] { check_endpoint_url(b.url, b.session, "d.json", "/endpoint_url"); }, "d.json",
        "/endpoint_url");
    EXPECT_NE(text.find(b.mentions), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace outbound::soap
