#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "soap/definition.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"

namespace outbound::soap {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

message reference_sample() {
  message m;
  m.header.organization_id = "00DQ0000000EB93";
  m.header.action_id = "04kV0000000CaSPIA0";
  m.header.enterprise_url = "https://cs12-api.salesforce.com/services/Soap/c/23.0/00DV00000000dS3";
  m.header.partner_url = "https://cs12-api.salesforce.com/services/Soap/u/23.0/00DV00000000dS3";
  notification n;
  n.id = "04lV0000001ALshIAG";
  n.object.type = "Opportunity";
  n.object.id = "006Q0000009N3gf";
  n.object.fields = {{"AccountId", "001Q000000SvOoG"},
                     {"Billing_Contact_Email__c", "Test email value"}};
  m.notifications.push_back(n);
  return m;
}

message one_field(std::optional<std::string> value) {
  message m = reference_sample();
  m.notifications[0].object.fields = {{"Name", std::move(value)}};
  return m;
}

// The single field line of an envelope written by one_field().
std::string field_line(const std::string& envelope) {
  const auto b = envelope.find("<sf:Name");
  return envelope.substr(b, envelope.find('\n', b) - b);
}

TEST(envelope_writer, reproduces_the_reference_sample_byte_for_byte) {
  const auto expected = read_file(std::string(OUTBOUND_SOURCE_DIR) +
                                  "/tests/soap/data/reference_sample_opportunity_request.xml");
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(write_envelope(reference_sample()), expected);
}

TEST(envelope_writer, appends_to_the_callers_buffer) {
  std::string out = "prefix";
  write_envelope(reference_sample(), out);
  EXPECT_EQ(out, "prefix" + write_envelope(reference_sample()));
}

TEST(envelope_writer, session_id_and_nil_fields) {
  message m = one_field(std::nullopt);
  m.header.session_id = "00D!AQ0AQ<x>";
  const auto s = write_envelope(m);
  EXPECT_NE(s.find("   <SessionId>00D!AQ0AQ&lt;x&gt;</SessionId>\n"), std::string::npos);
  EXPECT_EQ(field_line(s), "<sf:Name xsi:nil=\"true\"/>");
}

TEST(envelope_writer, escapes_markup_characters) {
  EXPECT_EQ(field_line(write_envelope(one_field("A&B <Ltd> \"q\" 'a'"))),
            "<sf:Name>A&amp;B &lt;Ltd&gt; \"q\" 'a'</sf:Name>");
  EXPECT_EQ(field_line(write_envelope(one_field("]]>"))), "<sf:Name>]]&gt;</sf:Name>");
}

TEST(envelope_writer, carriage_returns_become_references_tabs_and_newlines_pass) {
  const auto s = write_envelope(one_field("a\r\nb\tc"));
  const auto b = s.find("<sf:Name>");
  EXPECT_EQ(s.substr(b, s.find("</sf:Name>") - b), "<sf:Name>a&#13;\nb\tc");
}

TEST(envelope_writer, utf8_passes_through) {
  EXPECT_EQ(field_line(write_envelope(one_field("Müller GmbH — Société Générale 日本 😀"))),
            "<sf:Name>Müller GmbH — Société Générale 日本 😀</sf:Name>");
}

TEST(envelope_writer, characters_xml_forbids_become_replacement_characters) {
  // No character reference can carry C0 controls in XML 1.0, so they become U+FFFD.
  EXPECT_EQ(field_line(write_envelope(one_field(std::string("a\x01"
                                                            "b\x1f"
                                                            "c\0d",
                                                            7)))),
            "<sf:Name>a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xEF\xBF\xBD"
            "d</sf:Name>");
  // Malformed UTF-8: a stray continuation byte, a truncated sequence, a surrogate, U+FFFF.
  EXPECT_EQ(field_line(write_envelope(one_field("x\x80y\xC3"))),
            "<sf:Name>x\xEF\xBF\xBDy\xEF\xBF\xBD</sf:Name>");
  EXPECT_EQ(field_line(write_envelope(one_field("\xED\xA0\x80|\xEF\xBF\xBF"))),
            "<sf:Name>\xEF\xBF\xBD|\xEF\xBF\xBD</sf:Name>");
  EXPECT_EQ(field_line(write_envelope(one_field("\xF0\x9F\x98\x80\x7F"))),
            "<sf:Name>\xF0\x9F\x98\x80\x7F</sf:Name>");
}

TEST(envelope_writer, deleted_record_carries_only_its_id) {
  message m = reference_sample();
  m.notifications[0].object.fields.clear();
  const auto s = write_envelope(m);
  EXPECT_NE(s.find("     <sf:Id>006Q0000009N3gf</sf:Id>\n    </sObject>\n"), std::string::npos);
}

TEST(envelope_writer, rejects_zero_or_more_than_100_notifications) {
  message m = reference_sample();
  m.notifications.clear();
  EXPECT_THROW((void)write_envelope(m), std::invalid_argument);
  m.notifications.assign(101, reference_sample().notifications[0]);
  EXPECT_THROW((void)write_envelope(m), std::invalid_argument);
  m.notifications.resize(100);
  EXPECT_NO_THROW((void)write_envelope(m));
}

TEST(envelope_writer, rejects_names_that_are_not_api_names) {
  message m = reference_sample();
  m.notifications[0].object.fields[0].name = "Bad Name";
  EXPECT_THROW((void)write_envelope(m), std::invalid_argument);
  m = reference_sample();
  m.notifications[0].object.type = "Opp\"ortunity";
  EXPECT_THROW((void)write_envelope(m), std::invalid_argument);
}

TEST(envelope_writer, streaming_writes_the_same_bytes_as_write_envelope) {
  message m = reference_sample();
  m.notifications.push_back(m.notifications[0]);
  m.notifications[1].id = make_id("04l", 2);
  m.notifications[1].object.fields[1].value.reset();  // nil
  // From the header, and from the head written once with names checked once (as the sender and
  // the load generator do).
  const std::string head = write_envelope_head(m.header);
  for (const bool written_head : {false, true}) {
    const auto names =
        written_head ? envelope_writer::names::checked : envelope_writer::names::check;
    std::string out = "kept:";  // appends, as write_envelope(m, out) does
    auto w = written_head ? envelope_writer(out, head) : envelope_writer(out, m.header);
    for (const auto& n : m.notifications) {
      std::vector<field_view> fields;
      for (const auto& f : n.object.fields)
        fields.push_back(
            {f.name, f.value ? std::optional<std::string_view>(*f.value) : std::nullopt});
      w.add(n.id, n.object.type, n.object.id, fields, names);
    }
    w.finish();
    EXPECT_EQ(out, "kept:" + write_envelope(m));
  }
}

TEST(envelope_writer, streaming_rejects_an_empty_envelope_a_101st_notification_and_bad_names) {
  const message m = reference_sample();
  std::string out;
  envelope_writer empty(out, m.header);
  EXPECT_THROW(empty.finish(), std::invalid_argument);
  out.clear();
  envelope_writer w(out, m.header);
  const std::vector<field_view> fields{{"Name", "Acme"}};
  for (int i = 0; i < 100; ++i) w.add(make_id("04l", 1 + i), "Account", "001Q000000SvOoG", fields);
  EXPECT_THROW(w.add(make_id("04l", 101), "Account", "001Q000000SvOoG", fields),
               std::invalid_argument);
  EXPECT_NO_THROW(w.finish());
  std::string other;
  envelope_writer bad(other, m.header);
  const std::vector<field_view> bad_field{{"Bad Name", "x"}};
  EXPECT_THROW(bad.add(make_id("04l", 1), "Account", "001Q000000SvOoG", bad_field),
               std::invalid_argument);
  EXPECT_THROW(bad.add(make_id("04l", 1), "Acc ount", "001Q000000SvOoG", fields),
               std::invalid_argument);
}

// What a caller checks once per definition before adding with names::checked.
TEST(envelope_writer, check_names_rejects_a_definition_the_writer_would_reject) {
  definition d;
  d.object = "Account";
  d.fields = {{"Name", field_type::string}, {"Phone", field_type::string}};
  EXPECT_NO_THROW(check_names(d));
  d.fields[1].name = "Bad Name";
  EXPECT_THROW(check_names(d), std::invalid_argument);
  d.fields[1].name = "Phone";
  d.object = "Acc<ount";
  EXPECT_THROW(check_names(d), std::invalid_argument);
}

TEST(envelope_writer, notifications_in_order) {
  message m = reference_sample();
  m.notifications.push_back(m.notifications[0]);
  m.notifications[1].id = make_id("04l", 2);
  const auto s = write_envelope(m);
  const auto first = s.find("<Id>04lV0000001ALshIAG</Id>");
  const auto second = s.find("<Id>" + make_id("04l", 2) + "</Id>");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
}

TEST(envelope_writer, make_header_builds_enterprise_and_partner_urls) {
  const auto org = make_id("00D", 7);
  const auto h = make_header(org, make_id("04k", 1), "59.0", std::string("SESSION"));
  EXPECT_EQ(h.organization_id, org);
  EXPECT_EQ(h.session_id, "SESSION");
  EXPECT_EQ(h.enterprise_url,
            "https://example.my.salesforce.com/services/Soap/c/59.0/" + org.substr(0, 15));
  EXPECT_EQ(h.partner_url,
            "https://example.my.salesforce.com/services/Soap/u/59.0/" + org.substr(0, 15));
  EXPECT_FALSE(make_header(org, make_id("04k", 1), "59.0").session_id);
}

}  // namespace
}  // namespace outbound::soap
