// Ack and fault writers, and the classification of a listener's HTTP response in the words
// Salesforce uses on its delivery status page.
#include "soap/ack.hpp"

#include <pugixml.hpp>

#include <array>
#include <optional>
#include <utility>

#include "common/text.hpp"
#include "common/utf8.hpp"
#include "soap/envelope.hpp"
#include "soap/xml_escape.hpp"
#include "soap/xml_names.hpp"

namespace outbound::soap {
namespace {

constexpr std::string_view envelope_open =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
    " <soapenv:Body>\n";
constexpr std::string_view envelope_close =
    " </soapenv:Body>\n"
    "</soapenv:Envelope>\n";

// The four SOAP 1.1 fault codes, which live in the envelope namespace.
bool is_standard_faultcode(std::string_view code) {
  const auto base = code.substr(0, code.find('.'));  // "Server.Timeout" refines "Server"
  return base == "Server" || base == "Client" || base == "VersionMismatch" ||
         base == "MustUnderstand";
}

constexpr std::array<std::pair<int, std::string_view>, 30> reason_phrases{{
    {100, "Continue"},
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {204, "No Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {303, "See Other"},
    {304, "Not Modified"},
    {307, "Temporary Redirect"},
    {308, "Permanent Redirect"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {413, "Request Entity Too Large"},
    {415, "Unsupported Media Type"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {505, "HTTP Version Not Supported"},
}};

std::string_view standard_reason_phrase(int status) {
  for (const auto& [code, phrase] : reason_phrases)
    if (code == status) return phrase;
  return "";
}

pugi::xml_node first_element(pugi::xml_node parent) {
  for (auto n = parent.first_child(); n; n = n.next_sibling())
    if (n.type() == pugi::node_element) return n;
  return {};
}

// The first child element named {ns}local, left entered in `scope` since the walk goes on below
// it; the local name is compared before the namespace is resolved.
pugi::xml_node child(detail::namespace_scope& scope, pugi::xml_node parent, std::string_view ns,
                     std::string_view local) {
  for (auto n = parent.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element || detail::split_name(n.name()).local != local) continue;
    const auto level = scope.enter(n);
    if (scope.resolve_name(n.name()).is(ns, local)) return n;
    scope.leave(level);
  }
  return {};
}

// Whether the document element is a SOAP 1.1 Envelope; it is entered in `scope`.
bool is_envelope(detail::namespace_scope& scope, pugi::xml_node root) {
  scope.enter(root);
  return scope.resolve_name(root.name()).is(soapenv_ns, "Envelope");
}

// SOAP 1.1 puts faultcode and faultstring in no namespace; some stacks qualify them anyway.
pugi::xml_node fault_child(pugi::xml_node fault, std::string_view local) {
  for (auto n = fault.first_child(); n; n = n.next_sibling())
    if (n.type() == pugi::node_element && detail::split_name(n.name()).local == local) return n;
  return {};
}

std::string text(pugi::xml_node e) {
  std::string s;
  if (!detail::element_text(e, s)) s = e.text().get();
  return s;
}

// The verdict of an Ack: the DOM path and the exact-ack path both answer through here.
response_verdict ack_verdict(bool acked) {
  if (acked) return {response_kind::ack, {}};
  return {response_kind::nack, "SOAP response was a nack"};
}

// Our wording (Salesforce's own text for this case is not published).
response_verdict not_an_ack(std::string detail) {
  return {response_kind::not_an_ack, "SOAP response was not an ack: " + std::move(detail)};
}

response_verdict fault_verdict(pugi::xml_node fault) {
  std::string s = text(fault_child(fault, "faultstring"));
  if (s.empty()) s = text(fault_child(fault, "faultcode"));
  if (s.empty()) s = "SOAP fault without a faultstring";
  return {response_kind::soap_fault, std::move(s)};
}

response_verdict classify_body(const pugi::xml_document& doc) {
  detail::namespace_scope ns;
  const auto root = first_element(doc);
  if (!is_envelope(ns, root))
    return not_an_ack("root element is " + detail::describe(root) +
                      ", expected a SOAP 1.1 Envelope");
  const auto body = child(ns, root, soapenv_ns, "Body");
  if (!body) return not_an_ack("no SOAP Body");
  if (const auto fault = child(ns, body, soapenv_ns, "Fault")) return fault_verdict(fault);
  const auto response = child(ns, body, outbound_ns, "notificationsResponse");
  if (!response) return not_an_ack("no notificationsResponse in the Body");
  const auto ack = child(ns, response, outbound_ns, "Ack");
  if (!ack) return not_an_ack("no Ack in notificationsResponse");
  const std::string value = text(ack);
  const auto v = trim(value);  // xsd:boolean collapses whitespace
  if (v == "true" || v == "1") return ack_verdict(true);
  if (v == "false" || v == "0") return ack_verdict(false);
  return not_an_ack("Ack is '" + std::string(utf8_prefix(v, 64)) + "', not an xsd:boolean");
}

// The compact forms of the acks listeners send most: ours (what `write_ack` and the mock send) and
// the minimal one that declares only the envelope's namespace. `{}` stands for the Ack's value.
constexpr std::array<std::string_view, 2> canonical_ack_forms{
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
    "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>"
    "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>{}</Ack>"
    "</notificationsResponse></soapenv:Body></soapenv:Envelope>",
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
    "<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>{}</Ack>"
    "</notificationsResponse></soapenv:Body></soapenv:Envelope>",
};
constexpr std::string_view xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

// Matches `part` at `at` in `body`, tag by tag (one memcmp each), skipping whitespace after each
// tag: the pretty-printed acks' indentation is ignorable text that the DOM path skips too.
bool match_tags(std::string_view body, std::size_t& at, std::string_view part) {
  while (!part.empty()) {
    const auto tag = part.substr(0, part.find('>') + 1);  // the whole rest when no '>' is left
    if (body.compare(at, tag.size(), tag) != 0) return false;
    at += tag.size();
    part.remove_prefix(tag.size());
    if (tag.back() == '>') at = detail::skip_xml_space(body, at);
  }
  return true;
}

// The Ack's value when `body`, from `at` on, is `form` with "true" or "false" for `{}`.
std::optional<bool> match_form(std::string_view body, std::size_t at, std::string_view form) {
  const auto hole = form.find("{}");
  if (!match_tags(body, at, form.substr(0, hole))) return std::nullopt;
  const bool value = body.compare(at, 4, "true") == 0;
  if (!value && body.compare(at, 5, "false") != 0) return std::nullopt;
  at += value ? 4 : 5;
  if (!match_tags(body, at, form.substr(hole + 2)) || at != body.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<bool> detail::canonical_ack_value(std::string_view body) {
  std::size_t at = skip_xml_space(body, 0);
  if (body.substr(at).starts_with(xml_declaration))
    at = skip_xml_space(body, at + xml_declaration.size());
  for (const auto form : canonical_ack_forms)
    if (const auto value = match_form(body, at, form)) return value;
  return std::nullopt;
}

std::string write_ack(bool ack) {
  std::string out;
  out.reserve(envelope_open.size() + envelope_close.size() + 120);
  out += envelope_open;
  out += "  <notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n";
  out += ack ? "   <Ack>true</Ack>\n" : "   <Ack>false</Ack>\n";
  out += "  </notificationsResponse>\n";
  out += envelope_close;
  return out;
}

std::string write_fault(std::string_view faultcode, std::string_view faultstring) {
  std::string out;
  out.reserve(envelope_open.size() + envelope_close.size() + 120 + faultstring.size());
  out += envelope_open;
  out += "  <soapenv:Fault>\n   <faultcode>";
  if (faultcode.find(':') == std::string_view::npos && is_standard_faultcode(faultcode))
    out += "soapenv:";
  detail::append_escaped_text(out, faultcode);
  out += "</faultcode>\n   <faultstring>";
  detail::append_escaped_text(out, faultstring);
  out += "</faultstring>\n  </soapenv:Fault>\n";
  out += envelope_close;
  return out;
}

std::string_view to_string(response_kind k) {
  switch (k) {
    case response_kind::ack:
      return "ack";
    case response_kind::nack:
      return "nack";
    case response_kind::soap_fault:
      return "soap_fault";
    case response_kind::not_xml:
      return "not_xml";
    case response_kind::empty:
      return "empty";
    case response_kind::not_an_ack:
      return "not_an_ack";
    case response_kind::http_status:
      return "http_status";
  }
  return "unknown";
}

response_verdict classify_response(int status, std::string_view reason_phrase,
                                   std::string_view /*content_type*/, std::string_view body) {
  // Salesforce's client reads the body whatever the Content-Type says, so it is not consulted.
  // Most answers are one of a few exact acks: recognised without building a DOM (8k instructions,
  // a tenth of what the sender spends per one-notification message).
  if (status == 200)
    if (const auto value = detail::canonical_ack_value(body)) return ack_verdict(*value);
  pugi::xml_document doc;
  const bool blank = trim(body).empty();
  const bool xml =
      !blank &&
      doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_auto) &&
      first_element(doc);
  if (status != 200) {
    // A SOAP fault is reported as such whatever the status (SOAP 1.1 sends faults with 500).
    if (xml) {
      detail::namespace_scope ns;
      const auto root = first_element(doc);
      if (is_envelope(ns, root))
        if (const auto fault = child(ns, child(ns, root, soapenv_ns, "Body"), soapenv_ns, "Fault"))
          return fault_verdict(fault);
    }
    const auto phrase = reason_phrase.empty() ? standard_reason_phrase(status) : reason_phrase;
    std::string reason = "(";  // appended piecewise: GCC 12 warns falsely on "(" + to_string()
    reason += std::to_string(status);
    reason += ')';
    reason += phrase;
    return {response_kind::http_status, std::move(reason)};
  }
  if (blank) return {response_kind::empty, "org.xml.sax.SAXParseException: Premature end of file."};
  if (!xml)
    return {response_kind::not_xml,
            "org.xml.sax.SAXParseException: Content is not allowed in prolog."};
  return classify_body(doc);
}

}  // namespace outbound::soap
