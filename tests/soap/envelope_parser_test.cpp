#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "soap/envelope.hpp"
#include "soap/ids.hpp"

namespace outbound::soap {
namespace {

std::string data_file(const std::string& name) {
  std::ifstream in(std::string(OUTBOUND_SOURCE_DIR) + "/tests/soap/data/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

message parsed(const std::string& xml) {
  auto m = parse_envelope(xml);
  EXPECT_TRUE(m) << m.error();
  return m ? *m : message{};
}

std::string error_of(const std::string& xml) {
  const auto m = parse_envelope(xml);
  EXPECT_FALSE(m);
  return m ? std::string() : m.error();
}

TEST(envelope_parser, parses_the_reference_sample) {
  const auto m = parsed(data_file("reference_sample_opportunity_request.xml"));
  EXPECT_EQ(m.header.organization_id, "00DQ0000000EB93");
  EXPECT_EQ(m.header.action_id, "04kV0000000CaSPIA0");
  EXPECT_EQ(m.header.session_id, std::nullopt);
  EXPECT_EQ(m.header.enterprise_url,
            "https://cs12-api.salesforce.com/services/Soap/c/23.0/00DV00000000dS3");
  EXPECT_EQ(m.header.partner_url,
            "https://cs12-api.salesforce.com/services/Soap/u/23.0/00DV00000000dS3");
  ASSERT_EQ(m.notifications.size(), 1u);
  const auto& n = m.notifications[0];
  EXPECT_EQ(n.id, "04lV0000001ALshIAG");
  EXPECT_EQ(n.object.type, "Opportunity");
  EXPECT_EQ(n.object.id, "006Q0000009N3gf");
  const std::vector<field_value> fields{{"AccountId", "001Q000000SvOoG"},
                                        {"Billing_Contact_Email__c", "Test email value"}};
  EXPECT_EQ(n.object.fields, fields);
  // And what we write from it is the same bytes again.
  EXPECT_EQ(write_envelope(m), data_file("reference_sample_opportunity_request.xml"));
}

TEST(envelope_parser, axis_style_prefixes_crlf_and_no_declaration) {
  const auto m = parsed(data_file("stack_axis_crlf_no_declaration.xml"));
  EXPECT_EQ(m.header.organization_id, "00D5g00000ABCdeEAH");
  EXPECT_EQ(m.header.session_id, "00D5g!AQ4AQ.session");
  ASSERT_EQ(m.notifications.size(), 2u);
  EXPECT_EQ(m.notifications[0].object.type, "Account");
  const std::vector<field_value> fields{
      {"Name", "A&B <Ltd>"}, {"BillingStreet", "1 Main St\r\nSuite 2"}, {"Phone", std::nullopt}};
  EXPECT_EQ(m.notifications[0].object.fields, fields);
  EXPECT_EQ(m.notifications[1].id, "04l5g0000000002AAA");
  EXPECT_EQ(m.notifications[1].object.id, "0015g0000000002");
  EXPECT_TRUE(m.notifications[1].object.fields.empty());  // a deleted record
}

TEST(envelope_parser, dotnet_style_default_namespaces_and_cdata) {
  const auto m = parsed(data_file("stack_dotnet_default_namespaces.xml"));
  EXPECT_EQ(m.header.session_id, std::nullopt);
  ASSERT_EQ(m.notifications.size(), 1u);
  const auto& o = m.notifications[0].object;
  EXPECT_EQ(o.type, "Contact");
  EXPECT_EQ(o.id, "0035g0000000001AAA");
  const std::vector<field_value> fields{{"FirstName", "Zoë"},
                                        {"LastName", "O'Brien & <Sons>"},
                                        {"Email", std::nullopt},
                                        {"Description", "  "}};
  EXPECT_EQ(o.fields, fields);
}

TEST(envelope_parser, prefixes_declared_anywhere_in_scope_and_whitespace_around_ids) {
  const auto m = parsed(data_file("stack_prefixed_redeclared.xml"));
  EXPECT_EQ(m.header.organization_id, "00D5g00000ABCde");
  EXPECT_EQ(m.header.action_id, "04k5g0000000001");
  EXPECT_EQ(m.header.session_id, "SESSION-1");  // xsi:nil="false" is not nil
  EXPECT_EQ(m.header.partner_url, "");
  ASSERT_EQ(m.notifications.size(), 1u);
  const auto& o = m.notifications[0].object;
  EXPECT_EQ(o.type, "Invoice__c");
  const std::vector<field_value> fields{
      {"Amount__c", "12.50"}, {"Paid__c", "true"}, {"Notes__c", "line 1\nline 2 \u263A"}};
  EXPECT_EQ(o.fields, fields);
}

// A minimal valid envelope with `notes` in place of the notifications' content after the header.
std::string envelope(const std::string& notes, const std::string& header_extra = "") {
  return "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/' "
         "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'><e:Body>"
         "<notifications xmlns='http://soap.sforce.com/2005/09/outbound'>"
         "<OrganizationId>00D5g0000000001</OrganizationId><ActionId>04k5g0000000001</ActionId>"
         "<SessionId xsi:nil='true'/><EnterpriseUrl>e</EnterpriseUrl>" +
         header_extra + "<PartnerUrl>p</PartnerUrl>" + notes +
         "</notifications></e:Body></e:Envelope>";
}
std::string note(const std::string& sobject_content, const std::string& id = "04l5g0000000001") {
  return "<Notification><Id>" + id +
         "</Id><sObject xmlns:sf='urn:sobject.enterprise.soap.sforce.com' xsi:type='sf:Account'>" +
         sobject_content + "</sObject></Notification>";
}
const std::string record = "<sf:Id>0015g0000000001</sf:Id>";

TEST(envelope_parser, minimal_envelope_parses) {
  const auto m = parsed(envelope(note(record)));
  ASSERT_EQ(m.notifications.size(), 1u);
  EXPECT_EQ(m.notifications[0].object.id, "0015g0000000001");
}

TEST(envelope_parser, rejects_what_is_not_xml) {
  EXPECT_EQ(error_of("").substr(0, 8), "not XML:");
  EXPECT_EQ(error_of("hello"), "not XML: No document element found at offset 5");
  EXPECT_EQ(error_of("<a><b></a>").substr(0, 8), "not XML:");
  EXPECT_EQ(error_of("<a/><b/>"), "not XML: more than one root element");
}

// SOAP 1.1 section 3: "A SOAP message MUST NOT contain a Document Type Declaration."
TEST(envelope_parser, rejects_a_document_type_declaration) {
  const std::string valid = envelope(note(record));
  ASSERT_TRUE(parse_envelope(valid));
  for (const std::string doctype : {"<!DOCTYPE e:Envelope>", "<!DOCTYPE x [<!ENTITY a 'b'>]>",
                                    "<!DOCTYPE x SYSTEM 'file:///etc/passwd'>"}) {
    std::string xml = valid;
    const auto root = xml.find("<e:Envelope");
    ASSERT_NE(root, std::string::npos);
    xml.insert(root, doctype + "\n");
    EXPECT_EQ(error_of(xml), "a SOAP 1.1 message must not contain a DTD (DOCTYPE)") << doctype;
  }
}

// Prefixes declared by thousands on the Notification, one per field: quadratic before (a 1.5 MB
// envelope took 44 s), one pass now.
TEST(envelope_parser, many_namespace_declarations_are_read_in_one_pass) {
  std::string attrs, fields;
  for (int i = 0; i < 20'000; ++i) {
    const std::string p = "p" + std::to_string(i);
    attrs += " xmlns:" + p + "='urn:sobject.enterprise.soap.sforce.com'";
    fields += "<" + p + ":F>v</" + p + ":F>";
  }
  auto xml = envelope(note(record));
  xml.replace(xml.find("<Notification>"), 14, "<Notification" + attrs + ">");
  xml.insert(xml.find("</sObject>"), fields);
  const auto m = parsed(xml);
  ASSERT_EQ(m.notifications.size(), 1u);
  EXPECT_EQ(m.notifications[0].object.fields.size(), 20'000u);  // the Id is not a field
}

// The walk keeps the declarations of the elements it is inside, and drops an element's own when
// it leaves it: each case below is one a declaration stack could get wrong.
TEST(envelope_parser, declarations_on_notification_and_fields_apply_where_they_are_in_scope) {
  const std::string sf = "urn:sobject.enterprise.soap.sforce.com";
  // Declared on the Notification, used by the sObject's xsi:type and its fields.
  auto xml = envelope("<Notification xmlns:n='" + sf + "'><Id>04l5g0000000001</Id>" +
                      "<sObject xsi:type='n:Account'><n:Id>0015g0000000001</n:Id><n:Name>x</n:Name>"
                      "</sObject></Notification>");
  auto m = parsed(xml);
  ASSERT_EQ(m.notifications.size(), 1u);
  EXPECT_EQ(m.notifications[0].object.type, "Account");
  EXPECT_EQ(m.notifications[0].object.fields, (std::vector<field_value>{{"Name", "x"}}));

  // A field declaring its own prefix, and a later field that uses it undeclared.
  m = parsed(envelope(note(record + "<g:Name xmlns:g='" + sf + "'>y</g:Name>")));
  EXPECT_EQ(m.notifications[0].object.fields, (std::vector<field_value>{{"Name", "y"}}));
  EXPECT_EQ(error_of(envelope(note(record + "<g:Name xmlns:g='" + sf + "'>y</g:Name><g:Phone/>"))),
            "Notification 1: sObject field g:Phone (undeclared prefix) is not in " + sf);

  // sf redeclared on a field to another URI, or undeclared there (xmlns:sf=''), or the field put
  // in no namespace by xmlns='' on a default-namespace field.
  EXPECT_EQ(error_of(envelope(note(record + "<sf:Name xmlns:sf='urn:other'>y</sf:Name>"))),
            "Notification 1: sObject field {urn:other}Name is not in " + sf);
  EXPECT_EQ(error_of(envelope(note(record + "<sf:Name xmlns:sf=''>y</sf:Name>"))),
            "Notification 1: sObject field sf:Name (undeclared prefix) is not in " + sf);
  EXPECT_EQ(error_of(envelope(note(record + "<Name xmlns=''>y</Name>"))),
            "Notification 1: sObject field {}Name is not in " + sf);
  // ... and after such a field, sf means the sObject namespace again.
  xml = envelope(note(record + "<x:A xmlns:x='" + sf + "' xmlns:sf='urn:other'/><sf:B>b</sf:B>"));
  EXPECT_EQ(parsed(xml).notifications[0].object.fields,
            (std::vector<field_value>{{"A", ""}, {"B", "b"}}));

  // What a Notification declares is not in force in the next one.
  xml = envelope("<Notification xmlns:n='" + sf + "'><Id>04l5g0000000001</Id><sObject>" +
                 "<n:Id>0015g0000000001</n:Id></sObject></Notification>" +
                 "<Notification><Id>04l5g0000000002</Id><sObject><n:Id>0015g0000000002</n:Id>"
                 "</sObject></Notification>");
  EXPECT_EQ(error_of(xml),
            "Notification 2: sObject field n:Id (undeclared prefix) is not in " + sf);
}

TEST(envelope_parser, xsi_declared_on_the_element_that_uses_it_only) {
  const std::string xsi = "http://www.w3.org/2001/XMLSchema-instance";
  const std::string open =
      "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'><e:Body>"
      "<notifications xmlns='http://soap.sforce.com/2005/09/outbound'>"
      "<OrganizationId>00D5g0000000001</OrganizationId><ActionId>04k5g0000000001</ActionId>";
  const std::string rest =
      "<EnterpriseUrl>e</EnterpriseUrl><PartnerUrl>p</PartnerUrl><Notification>"
      "<Id>04l5g0000000001</Id><sObject xmlns:sf='urn:sobject.enterprise.soap.sforce.com'>"
      "<sf:Id>0015g0000000001</sf:Id>";
  const std::string close = "</sObject></Notification></notifications></e:Body></e:Envelope>";
  auto m =
      parsed(open + "<SessionId xmlns:i='" + xsi + "' i:nil='true'/>" + rest +
             "<sf:A i:nil='true'>a</sf:A><sf:B xsi:nil='true' xmlns:xsi='" + xsi + "'/>" + close);
  EXPECT_EQ(m.header.session_id, std::nullopt);
  // i:nil on A is not xsi's nil: i was declared on SessionId only.
  EXPECT_EQ(m.notifications[0].object.fields,
            (std::vector<field_value>{{"A", "a"}, {"B", std::nullopt}}));
  // The declaration may follow the attribute it serves.
  m = parsed(open + "<SessionId i:nil='1' xmlns:i='" + xsi + "'/>" + rest + close);
  EXPECT_EQ(m.header.session_id, std::nullopt);
  // Without one, the prefix means nothing: SessionId is then read as text.
  m = parsed(open + "<SessionId i:nil='true'>s</SessionId>" + rest + close);
  EXPECT_EQ(m.header.session_id, "s");
}

// Declarations in a SOAP Header or on the Body are scoped like any other.
TEST(envelope_parser, declarations_in_the_soap_header_do_not_reach_the_body) {
  auto xml = envelope(note(record));
  xml.replace(xml.find("<e:Body>"), 8,
              "<e:Header xmlns:o='http://soap.sforce.com/2005/09/outbound'><o:x/></e:Header>"
              "<e:Body xmlns:b='urn:sobject.enterprise.soap.sforce.com'>");
  xml.replace(xml.find("<sf:Id>0015g0000000001</sf:Id>"), 30, "<b:Id>0015g0000000001</b:Id>");
  EXPECT_EQ(parsed(xml).notifications[0].object.id, "0015g0000000001");  // b from the Body
  const auto notifications = xml.find("<notifications xmlns=");
  xml.replace(notifications, 21, "<o:notifications xmlns:p=");
  xml.replace(xml.find("</notifications>"), 16, "</o:notifications>");
  EXPECT_EQ(error_of(xml),
            "body element is o:notifications (undeclared prefix), expected notifications in "
            "http://soap.sforce.com/2005/09/outbound");
}

// A field with thousands of attributes, the one that makes it nil last: read in one pass.
TEST(envelope_parser, a_field_with_many_attributes_is_read_in_one_pass) {
  std::string attrs;
  for (int i = 0; i < 20'000; ++i) attrs += " a" + std::to_string(i) + "='v'";
  const auto m = parsed(envelope(note(record + "<sf:A" + attrs + " xsi:nil='true'/>")));
  EXPECT_EQ(m.notifications[0].object.fields, (std::vector<field_value>{{"A", std::nullopt}}));
}

TEST(envelope_parser, a_long_invalid_id_is_not_echoed_whole) {
  auto xml = envelope(note(record));
  xml.replace(xml.find("00D5g0000000001"), 15, std::string(1'000'000, 'z'));
  const auto e = error_of(xml);
  EXPECT_LT(e.size(), 200u);
  EXPECT_NE(e.find("(1000000 bytes)"), std::string::npos) << e;
}

TEST(envelope_parser, rejects_what_is_not_a_soap_11_envelope) {
  EXPECT_EQ(error_of("<Envelope/>"), "not a SOAP 1.1 envelope: root element is {}Envelope");
  EXPECT_EQ(error_of("<s:Envelope xmlns:s='http://www.w3.org/2003/05/soap-envelope'/>"),
            "not a SOAP 1.1 envelope: root element is "
            "{http://www.w3.org/2003/05/soap-envelope}Envelope");
  EXPECT_EQ(error_of("<s:Envelope/>"),
            "not a SOAP 1.1 envelope: root element is s:Envelope (undeclared prefix)");
}

TEST(envelope_parser, rejects_missing_or_wrong_body) {
  const std::string open = "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'>";
  EXPECT_EQ(error_of(open + "</e:Envelope>"), "no Body in the SOAP envelope");
  EXPECT_EQ(error_of(open + "<e:Header/></e:Envelope>"), "no Body in the SOAP envelope");
  EXPECT_EQ(error_of(open + "<Body/></e:Envelope>"),
            "unexpected element {}Body in the envelope, expected Body");
  EXPECT_EQ(error_of(open + "<e:Body/></e:Envelope>"),
            "Body is empty, expected notifications in http://soap.sforce.com/2005/09/outbound");
  EXPECT_EQ(error_of(open + "<e:Body><notifications/></e:Body></e:Envelope>"),
            "body element is {}notifications, expected notifications in "
            "http://soap.sforce.com/2005/09/outbound");
  EXPECT_EQ(
      error_of(open + "<e:Body><x:notificationsResponse "
                      "xmlns:x='http://soap.sforce.com/2005/09/outbound'/></e:Body></e:Envelope>"),
      "body element is {http://soap.sforce.com/2005/09/outbound}notificationsResponse, "
      "expected notifications in http://soap.sforce.com/2005/09/outbound");
}

TEST(envelope_parser, rejects_missing_or_misordered_header_elements) {
  auto xml = envelope(note(record));
  const auto without = [&](const std::string& element) {
    auto s = xml;
    const auto b = s.find("<" + element);
    const auto close = "</" + element + ">";
    auto e = s.find(close, b);
    e = e == std::string::npos ? s.find("/>", b) + 2 : e + close.size();
    return s.erase(b, e - b);
  };
  EXPECT_EQ(error_of(without("OrganizationId")),
            "notifications: expected OrganizationId, found "
            "{http://soap.sforce.com/2005/09/outbound}ActionId");
  EXPECT_EQ(error_of(without("SessionId")),
            "notifications: expected SessionId, found "
            "{http://soap.sforce.com/2005/09/outbound}EnterpriseUrl");
  EXPECT_EQ(error_of(without("PartnerUrl")),
            "notifications: expected PartnerUrl, found "
            "{http://soap.sforce.com/2005/09/outbound}Notification");
  EXPECT_EQ(error_of(envelope("", "<Extra/>")),
            "notifications: expected PartnerUrl, found "
            "{http://soap.sforce.com/2005/09/outbound}Extra");
  const std::string only_org =
      "<e:Envelope xmlns:e='http://schemas.xmlsoap.org/soap/envelope/'><e:Body>"
      "<notifications xmlns='http://soap.sforce.com/2005/09/outbound'>"
      "<OrganizationId>00D5g0000000001</OrganizationId></notifications></e:Body></e:Envelope>";
  EXPECT_EQ(error_of(only_org), "notifications: missing ActionId");
}

TEST(envelope_parser, rejects_zero_or_more_than_100_notifications) {
  EXPECT_EQ(error_of(envelope("")), "notifications has no Notification");
  std::string many;
  for (int i = 0; i < 101; ++i) many += note(record);
  EXPECT_EQ(error_of(envelope(many)), "101 notifications, at most 100 allowed");
  many.resize(many.size() - note(record).size());
  EXPECT_EQ(parsed(envelope(many)).notifications.size(), 100u);
  EXPECT_EQ(error_of(envelope(note(record) + "<Other/>")),
            "notifications: unexpected element {http://soap.sforce.com/2005/09/outbound}Other, "
            "expected Notification");
}

TEST(envelope_parser, rejects_notifications_without_id_or_sobject) {
  EXPECT_EQ(error_of(envelope(note(record) + "<Notification><sObject/></Notification>")),
            "Notification 2 has no Id");
  EXPECT_EQ(error_of(envelope("<Notification><Id>04l5g0000000001</Id></Notification>")),
            "Notification 1 has no sObject");
  EXPECT_EQ(error_of(envelope(note(record) + note(record, "04l5g00000000!1"))),
            "Notification 2 Id: invalid id '04l5g00000000!1'");
  EXPECT_EQ(error_of(envelope(note(record, "04l5g0000000001AAB"))),
            "Notification 1 Id: invalid id '04l5g0000000001AAB'");
}

TEST(envelope_parser, rejects_invalid_header_ids) {
  auto xml = envelope(note(record));
  xml.replace(xml.find("00D5g0000000001"), 15, "00D5g000000001");
  EXPECT_EQ(error_of(xml), "OrganizationId: invalid id '00D5g000000001'");
}

TEST(envelope_parser, rejects_sobjects_without_id_or_with_foreign_fields) {
  EXPECT_EQ(error_of(envelope(note("<sf:Name>x</sf:Name>"))), "Notification 1: sObject has no Id");
  EXPECT_EQ(error_of(envelope(note("<sf:Id xsi:nil='true'/>"))),
            "Notification 1: sObject has no Id");
  EXPECT_EQ(error_of(envelope(note("<sf:Id>bad</sf:Id>"))),
            "Notification 1 sObject Id: invalid id 'bad'");
  EXPECT_EQ(error_of(envelope(note(record + "<Name>x</Name>"))),
            "Notification 1: sObject field {http://soap.sforce.com/2005/09/outbound}Name is not in "
            "urn:sobject.enterprise.soap.sforce.com");
  EXPECT_EQ(error_of(envelope(note(record + "<sf:Name><sf:b/></sf:Name>"))),
            "Notification 1 field Name has child elements, expected text");
}

TEST(envelope_parser, resolves_xsi_type_through_namespaces) {
  auto xml = envelope(note(record));
  xml.replace(xml.find("sf:Account"), 10, "xsd:Account");
  EXPECT_EQ(error_of(xml),
            "Notification 1: sObject xsi:type 'xsd:Account' is not a type in "
            "urn:sobject.enterprise.soap.sforce.com");
}

TEST(envelope_parser, nil_values_true_and_1_other_values_kept) {
  const auto m =
      parsed(envelope(note(record + "<sf:A xsi:nil='true'/><sf:B xsi:nil=' 1 '/>"
                                    "<sf:C xsi:nil='false'>c</sf:C><sf:D nil='true'>d</sf:D>"
                                    "<sf:E/>")));
  const std::vector<field_value> fields{
      {"A", std::nullopt}, {"B", std::nullopt}, {"C", "c"}, {"D", "d"}, {"E", ""}};
  EXPECT_EQ(m.notifications[0].object.fields, fields);
}

TEST(envelope_parser, round_trips_written_envelopes) {
  message m;
  m.header = make_header(make_id("00D", 1), make_id("04k", 2), "59.0", std::string("S&ID"));
  for (int i = 0; i < 100; ++i) {
    notification n;
    n.id = make_id("04l", i);
    n.object.type = "Account";
    n.object.id = make_id("001", i * 31);
    n.object.fields = {{"Name", "Société Générale & <Co> " + std::to_string(i)},
                       {"Phone", std::nullopt},
                       {"Description", "two\r\nlines\tand \"quotes\""},
                       {"Blank", " "}};
    m.notifications.push_back(n);
  }
  EXPECT_EQ(parsed(write_envelope(m)), m);
}

}  // namespace
}  // namespace outbound::soap
