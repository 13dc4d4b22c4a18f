#include "soap/ack.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace outbound::soap {
namespace {

response_verdict classify(int status, std::string_view body, std::string_view phrase = "") {
  return classify_response(status, phrase, "text/xml; charset=utf-8", body);
}

TEST(ack, write_ack_true_and_false) {
  EXPECT_EQ(write_ack(true),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
            "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
            " <soapenv:Body>\n"
            "  <notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n"
            "   <Ack>true</Ack>\n"
            "  </notificationsResponse>\n"
            " </soapenv:Body>\n"
            "</soapenv:Envelope>\n");
  const auto nack = write_ack(false);
  EXPECT_NE(nack.find("<Ack>false</Ack>"), std::string::npos);
  EXPECT_EQ(classify(200, write_ack(true)).kind, response_kind::ack);
  EXPECT_EQ(classify(200, write_ack(true)).reason, "");
  EXPECT_EQ(classify(200, nack).kind, response_kind::nack);
  EXPECT_EQ(classify(200, nack).reason, "SOAP response was a nack");
}

TEST(ack, write_fault_prefixes_standard_codes_and_escapes) {
  const auto f = write_fault("Server", "Database <down> & \"out\"");
  EXPECT_NE(f.find("  <soapenv:Fault>\n   <faultcode>soapenv:Server</faultcode>\n"
                   "   <faultstring>Database &lt;down&gt; &amp; \"out\"</faultstring>\n"
                   "  </soapenv:Fault>\n"),
            std::string::npos)
      << f;
  EXPECT_NE(write_fault("Client", "x").find("<faultcode>soapenv:Client</faultcode>"),
            std::string::npos);
  EXPECT_NE(write_fault("Server.Timeout", "x").find("<faultcode>soapenv:Server.Timeout<"),
            std::string::npos);
  EXPECT_NE(write_fault("soapenv:Client", "x").find("<faultcode>soapenv:Client</faultcode>"),
            std::string::npos);
  EXPECT_NE(write_fault("Custom", "x").find("<faultcode>Custom</faultcode>"), std::string::npos);
}

TEST(ack, faults_are_classified_by_their_faultstring_whatever_the_status) {
  const auto fault = write_fault("Server", "ERP <unavailable> & retrying");
  for (int status : {200, 500}) {
    const auto v = classify(status, fault);
    EXPECT_EQ(v.kind, response_kind::soap_fault) << status;
    EXPECT_EQ(v.reason, "ERP <unavailable> & retrying");
  }
  // Another stack's rendering: other prefix, qualified fault children.
  const auto other =
      "<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body><S:Fault>"
      "<S:faultcode>S:Client</S:faultcode><S:faultstring>bad request</S:faultstring>"
      "</S:Fault></S:Body></S:Envelope>";
  EXPECT_EQ(classify(500, other).reason, "bad request");
  const auto no_string =
      "<S:Envelope xmlns:S='http://schemas.xmlsoap.org/soap/envelope/'><S:Body><S:Fault>"
      "<faultcode>S:Server</faultcode></S:Fault></S:Body></S:Envelope>";
  EXPECT_EQ(classify(500, no_string).reason, "S:Server");
}

TEST(ack, empty_and_non_xml_bodies_get_salesforces_sax_texts) {
  for (std::string_view body : {"", " \r\n\t "}) {
    const auto v = classify(200, body);
    EXPECT_EQ(v.kind, response_kind::empty);
    EXPECT_EQ(v.reason, "org.xml.sax.SAXParseException: Premature end of file.");
  }
  for (std::string_view body :
       {"OK", "{\"ack\":true}", "<html><body>Oops<br></body></html>", "<?xml version='1.0'?>"}) {
    const auto v = classify(200, body);
    EXPECT_EQ(v.kind, response_kind::not_xml) << body;
    EXPECT_EQ(v.reason, "org.xml.sax.SAXParseException: Content is not allowed in prolog.");
  }
}

TEST(ack, other_statuses_are_reported_with_their_reason_phrase) {
  EXPECT_EQ(classify(503, "").reason, "(503)Service Unavailable");
  EXPECT_EQ(classify(503, "").kind, response_kind::http_status);
  EXPECT_EQ(classify(502, "<html>bad gateway</html>").reason, "(502)Bad Gateway");
  EXPECT_EQ(classify(500, write_ack(true)).reason, "(500)Internal Server Error");
  EXPECT_EQ(classify(404, "nope", "Nicht gefunden").reason, "(404)Nicht gefunden");
  EXPECT_EQ(classify(299, "").reason, "(299)");
  EXPECT_EQ(classify(204, "").reason, "(204)No Content");
}

TEST(ack, ack_values_follow_xsd_boolean) {
  const auto with = [](std::string_view v) {
    return "<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'>"
           "<soapenv:Body><r:notificationsResponse "
           "xmlns:r='http://soap.sforce.com/2005/09/outbound'>"
           "<r:Ack>" +
           std::string(v) + "</r:Ack></r:notificationsResponse></soapenv:Body></soapenv:Envelope>";
  };
  EXPECT_EQ(classify(200, with("true")).kind, response_kind::ack);
  EXPECT_EQ(classify(200, with(" 1\n")).kind, response_kind::ack);
  EXPECT_EQ(classify(200, with("false")).kind, response_kind::nack);
  EXPECT_EQ(classify(200, with("0")).kind, response_kind::nack);
  const auto v = classify(200, with("TRUE"));
  EXPECT_EQ(v.kind, response_kind::not_an_ack);
  EXPECT_EQ(v.reason, "SOAP response was not an ack: Ack is 'TRUE', not an xsd:boolean");
  EXPECT_EQ(classify(200, with("")).kind, response_kind::not_an_ack);
}

// The reason is stored and later written as JSON (status --json): a cut inside a character made
// it invalid UTF-8 for as long as the notification stayed in the store.
TEST(ack, a_long_ack_value_is_cut_at_a_character_boundary) {
  const auto with = [](std::string_view v) {
    return "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'><e:Body>"
           "<r:notificationsResponse xmlns:r='http://soap.sforce.com/2005/09/outbound'><r:Ack>" +
           std::string(v) + "</r:Ack></r:notificationsResponse></e:Body></e:Envelope>";
  };
  // 63 ASCII bytes, then "é" (2 bytes) across the 64-byte cut.
  const std::string value = std::string(63, 'y') + "\xC3\xA9" + "tail";
  const auto v = classify(200, with(value));
  EXPECT_EQ(v.kind, response_kind::not_an_ack);
  EXPECT_EQ(v.reason, "SOAP response was not an ack: Ack is '" + std::string(63, 'y') +
                          "', not an xsd:boolean");
  const std::string euro = std::string(62, 'y') + "\xE2\x82\xAC";  // exactly 65 bytes
  EXPECT_EQ(classify(200, with(euro)).reason, "SOAP response was not an ack: Ack is '" +
                                                  std::string(62, 'y') + "', not an xsd:boolean");
}

// A response whose Envelope declares thousands of prefixes, each used by a sibling before the
// answer, cost the sender minutes of CPU (quadratic lookups); it is read in one pass now.
TEST(ack, many_namespace_declarations_are_read_in_one_pass) {
  std::string attrs, siblings;
  for (int i = 0; i < 20'000; ++i) {
    attrs += " xmlns:z" + std::to_string(i) + "='urn:z'";
    siblings += "<z" + std::to_string(i) + ":notificationsResponse/>";
  }
  const std::string body = "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'" +
                           attrs + "><e:Body>" + siblings +
                           "<r:notificationsResponse xmlns:r='http://soap.sforce.com/2005/09/"
                           "outbound'><r:Ack>true</r:Ack></r:notificationsResponse></e:Body>"
                           "</e:Envelope>";
  EXPECT_EQ(classify(200, body).kind, response_kind::ack);
}

TEST(ack, xml_without_an_ack_is_not_an_ack) {
  const std::string env = "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'>";
  EXPECT_EQ(classify(200, "<ok/>").reason,
            "SOAP response was not an ack: root element is {}ok, expected a SOAP 1.1 Envelope");
  EXPECT_EQ(classify(200, env + "</e:Envelope>").reason,
            "SOAP response was not an ack: no SOAP Body");
  EXPECT_EQ(classify(200, env + "<e:Body><notificationsResponse/></e:Body></e:Envelope>").reason,
            "SOAP response was not an ack: no notificationsResponse in the Body");
  EXPECT_EQ(
      classify(200, env + "<e:Body><notificationsResponse "
                          "xmlns='http://soap.sforce.com/2005/09/outbound'/></e:Body></e:Envelope>")
          .reason,
      "SOAP response was not an ack: no Ack in notificationsResponse");
  // Ack in the wrong namespace does not count: namespaces are matched by URI.
  EXPECT_EQ(classify(200, env + "<e:Body><n:notificationsResponse "
                                "xmlns:n='http://soap.sforce.com/2005/09/outbound'><Ack>true</Ack>"
                                "</n:notificationsResponse></e:Body></e:Envelope>")
                .kind,
            response_kind::not_an_ack);
}

// The DOM's answer: a byte-order mark keeps the body off the exact-ack path, and pugixml skips it.
response_verdict classify_by_dom(std::string_view body) {
  return classify(200, "\xEF\xBB\xBF" + std::string(body));
}

const std::string compact_ack =
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
    "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>true</Ack>"
    "</notificationsResponse></soapenv:Body></soapenv:Envelope>";

TEST(ack, the_common_acks_are_recognised_without_a_dom) {
  EXPECT_EQ(detail::canonical_ack_value(write_ack(true)), true);
  EXPECT_EQ(detail::canonical_ack_value(write_ack(false)), false);
  EXPECT_EQ(detail::canonical_ack_value(compact_ack), true);
  EXPECT_EQ(detail::canonical_ack_value("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" +
                                        compact_ack + "\r\n"),
            true);
  EXPECT_EQ(classify(200, write_ack(true)).kind, response_kind::ack);
  const auto nack = classify(200, write_ack(false));
  EXPECT_EQ(nack.kind, response_kind::nack);
  EXPECT_EQ(nack.reason, classify_by_dom(write_ack(false)).reason);
  // Anything else goes to the DOM: another prefix, a value xsd:boolean allows, another status.
  std::string prefixed = compact_ack;
  for (auto at = prefixed.find("soapenv"); at != std::string::npos; at = prefixed.find("soapenv"))
    prefixed.replace(at, 7, "s");
  EXPECT_EQ(detail::canonical_ack_value(prefixed), std::nullopt);
  EXPECT_EQ(classify(200, prefixed).kind, response_kind::ack);
  std::string one = compact_ack;
  one.replace(one.find("true"), 4, "1");
  EXPECT_EQ(detail::canonical_ack_value(one), std::nullopt);
  EXPECT_EQ(classify(500, compact_ack).kind, response_kind::http_status);
}

// Whatever one byte deleted, replaced or inserted anywhere does to a common ack, the exact-ack path
// answers as the DOM does, or leaves the body to it.
TEST(ack, the_exact_ack_path_agrees_with_the_dom_on_every_one_byte_change) {
  int recognised = 0, changes = 0;
  for (const std::string& form : {write_ack(true), write_ack(false), compact_ack}) {
    for (std::size_t i = 0; i <= form.size(); ++i) {
      std::vector<std::string> variants;
      if (i < form.size()) {
        variants.push_back(std::string(form).erase(i, 1));
        for (char c : {'x', ' ', '<', '>', '"'})
          variants.push_back(std::string(form).replace(i, 1, 1, c));
      }
      for (char c : {'x', ' ', '\n', '<', '>'})
        variants.push_back(std::string(form).insert(i, 1, c));
      for (const auto& body : variants) {
        ++changes;
        const auto value = detail::canonical_ack_value(body);
        if (!value) continue;
        ++recognised;
        const auto dom = classify_by_dom(body);
        EXPECT_EQ(dom.kind, *value ? response_kind::ack : response_kind::nack) << body;
        EXPECT_EQ(classify(200, body).reason, dom.reason) << body;
      }
    }
  }
  // Whitespace after a tag keeps the ack; most other changes do not.
  EXPECT_GT(recognised, 0);
  EXPECT_LT(recognised, changes / 4);
}

TEST(ack, response_kind_names) {
  EXPECT_EQ(to_string(response_kind::ack), "ack");
  EXPECT_EQ(to_string(response_kind::nack), "nack");
  EXPECT_EQ(to_string(response_kind::soap_fault), "soap_fault");
  EXPECT_EQ(to_string(response_kind::not_xml), "not_xml");
  EXPECT_EQ(to_string(response_kind::empty), "empty");
  EXPECT_EQ(to_string(response_kind::not_an_ack), "not_an_ack");
  EXPECT_EQ(to_string(response_kind::http_status), "http_status");
}

}  // namespace
}  // namespace outbound::soap
