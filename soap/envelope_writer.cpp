// The envelope writer: appends straight into the caller's buffer, in the exact shape (indentation,
// attribute order, newlines) of shared/reference/salesforce/sample_opportunity_request.xml.
#include <stdexcept>

#include "soap/definition.hpp"
#include "soap/envelope.hpp"
#include "soap/xml_escape.hpp"

namespace outbound::soap {
namespace {

using detail::append_escaped_attribute;
using detail::append_escaped_text;

constexpr std::string_view prologue =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
    " <soapenv:Body>\n"
    "  <notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n";
constexpr std::string_view epilogue =
    "  </notifications>\n"
    " </soapenv:Body>\n"
    "</soapenv:Envelope>\n";

// <tag>text</tag> with the given indentation, for the outbound-namespace elements.
void append_element(std::string& out, std::string_view indent, std::string_view tag,
                    std::string_view text) {
  out += indent;
  out += '<';
  out += tag;
  out += '>';
  append_escaped_text(out, text);
  out += "</";
  out += tag;
  out += ">\n";
}

template <class Field>
void append_field(std::string& out, const Field& f) {
  out += "     <sf:";
  out += f.name;
  if (!f.value) {
    out += " xsi:nil=\"true\"/>\n";
    return;
  }
  out += '>';
  append_escaped_text(out, *f.value);
  out += "</sf:";
  out += f.name;
  out += ">\n";
}

void check_name(std::string_view what, std::string_view name) {
  if (!detail::is_api_name(name))
    throw std::invalid_argument("write_envelope: " + std::string(what) + " '" + std::string(name) +
                                "' is not an API name");
}

// A close upper bound for plain values, so that one reservation usually suffices.
std::size_t estimate_size(const message& m) {
  const auto& h = m.header;
  std::size_t n = prologue.size() + epilogue.size() + 200 + h.organization_id.size() +
                  h.action_id.size() + h.enterprise_url.size() + h.partner_url.size() +
                  (h.session_id ? h.session_id->size() : 0);
  for (const auto& note : m.notifications) {
    n += 230 + note.id.size() + note.object.id.size() + note.object.type.size();
    for (const auto& f : note.object.fields)
      n += 20 + 2 * f.name.size() + (f.value ? f.value->size() : 0);
  }
  return n;
}

}  // namespace

std::string write_envelope_head(const message_header& h) {
  std::string out;
  out.reserve(prologue.size() + 200 + h.organization_id.size() + h.action_id.size() +
              h.enterprise_url.size() + h.partner_url.size() +
              (h.session_id ? h.session_id->size() : 0));
  out += prologue;
  append_element(out, "   ", "OrganizationId", h.organization_id);
  append_element(out, "   ", "ActionId", h.action_id);
  if (h.session_id)
    append_element(out, "   ", "SessionId", *h.session_id);
  else
    out += "   <SessionId xsi:nil=\"true\"/>\n";
  append_element(out, "   ", "EnterpriseUrl", h.enterprise_url);
  append_element(out, "   ", "PartnerUrl", h.partner_url);
  return out;
}

envelope_writer::envelope_writer(std::string& out, std::string_view head) : out_(out) {
  out += head;
}

envelope_writer::envelope_writer(std::string& out, const message_header& h)
    : envelope_writer(out, write_envelope_head(h)) {}

void check_names(const definition& d) {
  check_name("object type", d.object);
  for (const auto& f : d.fields) check_name("field name", f.name);
}

void envelope_writer::add(std::string_view notification_id, std::string_view type,
                          std::string_view record_id, std::span<const field_view> fields, names n) {
  add_notification(notification_id, type, record_id, fields, n);
}

void envelope_writer::add(std::string_view notification_id, std::string_view type,
                          std::string_view record_id, std::span<const field_value> fields,
                          names n) {
  add_notification(notification_id, type, record_id, fields, n);
}

template <class Field>
void envelope_writer::add_notification(std::string_view notification_id, std::string_view type,
                                       std::string_view record_id, std::span<const Field> fields,
                                       names n) {
  if (count_ == max_notifications)
    throw std::invalid_argument("write_envelope: more than 100 notifications");
  if (n == names::check) {
    check_name("object type", type);
    for (const auto& f : fields) check_name("field name", f.name);
  }
  ++count_;
  auto& out = out_;
  out += "   <Notification>\n";
  append_element(out, "    ", "Id", notification_id);
  out += "    <sObject xsi:type=\"sf:";
  append_escaped_attribute(out, type);
  out += "\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">\n";
  out += "     <sf:Id>";
  append_escaped_text(out, record_id);
  out += "</sf:Id>\n";
  for (const auto& f : fields) append_field(out, f);
  out += "    </sObject>\n";
  out += "   </Notification>\n";
}

void envelope_writer::finish() {
  if (count_ == 0)
    throw std::invalid_argument("write_envelope: no notifications, expected 1 to 100");
  out_ += epilogue;
}

void write_envelope(const message& m, std::string& out) {
  if (m.notifications.empty() || m.notifications.size() > max_notifications)
    throw std::invalid_argument("write_envelope: " + std::to_string(m.notifications.size()) +
                                " notifications, expected 1 to 100");
  out.reserve(out.size() + estimate_size(m));
  envelope_writer w(out, m.header);
  for (const auto& note : m.notifications)
    w.add(note.id, note.object.type, note.object.id, note.object.fields);
  w.finish();
}

std::string write_envelope(const message& m) {
  std::string out;
  write_envelope(m, out);
  return out;
}

message_header make_header(std::string_view organization_id, std::string_view action_id,
                           std::string_view api_version, std::optional<std::string> session_id) {
  // Salesforce puts the 15-character organization id in these URLs (see the reference sample).
  const std::string tail =
      std::string(api_version) + "/" + std::string(organization_id.substr(0, 15));
  const std::string base = "https://example.my.salesforce.com/services/Soap/";
  message_header h;
  h.organization_id = std::string(organization_id);
  h.action_id = std::string(action_id);
  h.session_id = std::move(session_id);
  h.enterprise_url = base + "c/" + tail;
  h.partner_url = base + "u/" + tail;
  return h;
}

}  // namespace outbound::soap
