// The envelope in the one form Salesforce sends (and write_envelope writes), read without a DOM.
// Building pugixml's tree and walking it with namespace resolution cost the mock 27k instructions
// of its 53k per one-notification request; reading the known form costs under 8k. Anything
// else, however small the difference, is left to the DOM parser, which decides every failure
// and every other rendering: this path only ever returns the message the DOM would return
// (tests/soap/envelope_canonical_test.cpp changes every byte to check, and the envelope fuzz
// target compares the two on every input).
#include <array>
#include <cstring>

#include "soap/envelope.hpp"
#include "soap/ids.hpp"
#include "soap/xml_names.hpp"

namespace outbound::soap {
namespace {

// Bytes the DOM copies into a text node as they are. '&' starts an entity, '\r' is rewritten by
// end-of-line normalisation, '<' ends the text, and NUL ends pugixml's view of a value.
constexpr std::array<bool, 256> plain_text_bytes = [] {
  std::array<bool, 256> t{};
  t.fill(true);
  t['&'] = t['\r'] = t['<'] = t['\0'] = false;
  return t;
}();

constexpr std::array<bool, 256> name_bytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return t;
}();

// The entities write_envelope writes (and the two other predefined ones) with what they stand for.
struct entity {
  std::string_view text;
  char replacement;
};
constexpr std::array<entity, 6> entities{{{"&amp;", '&'},
                                          {"&lt;", '<'},
                                          {"&gt;", '>'},
                                          {"&quot;", '"'},
                                          {"&apos;", '\''},
                                          {"&#13;", '\r'}}};

// A position in the body; every read either matches and moves on or fails and leaves the body
// to the DOM.
class reader {
 public:
  explicit reader(std::string_view body) : body_(body) {}

  bool literal(std::string_view s) {
    if (body_.size() - at_ < s.size() || std::memcmp(body_.data() + at_, s.data(), s.size()) != 0)
      return false;
    at_ += s.size();
    return true;
  }

  // A tag followed by ignorable whitespace: between elements the DOM keeps no text.
  bool tag(std::string_view s) {
    if (!literal(s)) return false;
    at_ = detail::skip_xml_space(body_, at_);
    return true;
  }

  // An API name (letters, digits, '_'), which the DOM reads as one local name.
  std::string_view name() {
    const auto from = at_;
    while (at_ < body_.size() && name_bytes[static_cast<unsigned char>(body_[at_])]) ++at_;
    return body_.substr(from, at_ - from);
  }

  // The text up to the next '<', with entities replaced as the DOM replaces them.
  bool text(std::string& out) {
    auto run = plain_run();
    if (at_ + run < body_.size() && body_[at_ + run] == '<') {  // no entity: one copy
      out.assign(body_.data() + at_, run);
      at_ += run;
      return true;
    }
    out.clear();
    for (;; run = plain_run()) {
      out.append(body_.data() + at_, run);
      at_ += run;
      if (at_ == body_.size()) return false;
      if (body_[at_] == '<') return true;
      if (!entity_into(out)) return false;
    }
  }

  // An id as is_valid_id takes it, with no blanks around it (the DOM trims them: left to it).
  bool id(std::string& out) {
    const auto end = body_.find('<', at_);
    if (end == std::string_view::npos) return false;
    const auto id = body_.substr(at_, end - at_);
    if (!is_valid_id(id)) return false;
    out.assign(id);
    at_ = end;
    return true;
  }

  bool at_end() {
    at_ = detail::skip_xml_space(body_, at_);
    return at_ == body_.size();
  }

 private:
  // How many bytes from here on the DOM copies as they are.
  std::size_t plain_run() const {
    auto end = at_;
    while (end < body_.size() && plain_text_bytes[static_cast<unsigned char>(body_[end])]) ++end;
    return end - at_;
  }

  bool entity_into(std::string& out) {
    for (const auto& e : entities)
      if (literal(e.text)) {
        out += e.replacement;
        return true;
      }
    return false;
  }

  std::string_view body_;
  std::size_t at_ = 0;
};

bool read_id_element(reader& r, std::string_view open, std::string_view close, std::string& out) {
  return r.literal(open) && r.id(out) && r.tag(close);
}

bool read_text_element(reader& r, std::string_view open, std::string_view close, std::string& out) {
  return r.literal(open) && r.text(out) && r.tag(close);
}

bool read_header(reader& r, message_header& h) {
  if (!(r.tag("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") &&
        r.tag("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
              "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
              "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">") &&
        r.tag("<soapenv:Body>") &&
        r.tag("<notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">") &&
        read_id_element(r, "<OrganizationId>", "</OrganizationId>", h.organization_id) &&
        read_id_element(r, "<ActionId>", "</ActionId>", h.action_id)))
    return false;
  if (r.tag("<SessionId xsi:nil=\"true\"/>")) {
    h.session_id.reset();
  } else {
    if (!h.session_id) h.session_id.emplace();
    if (!read_text_element(r, "<SessionId>", "</SessionId>", *h.session_id)) return false;
  }
  return read_text_element(r, "<EnterpriseUrl>", "</EnterpriseUrl>", h.enterprise_url) &&
         read_text_element(r, "<PartnerUrl>", "</PartnerUrl>", h.partner_url);
}

// The next element of `v`, reusing the one a previous message left there if any.
template <class T>
T& next_of(std::vector<T>& v, std::size_t& used) {
  if (used == v.size()) v.emplace_back();
  return v[used++];
}

// <sf:Name>text</sf:Name> or <sf:Name xsi:nil="true"/>, any name but Id (a second Id is an
// error, which the DOM words).
bool read_field(reader& r, field_value& f) {
  const auto name = r.name();
  if (name.empty() || name == "Id") return false;
  f.name.assign(name);
  if (r.tag(" xsi:nil=\"true\"/>")) {
    f.value.reset();
    return true;
  }
  if (!f.value) f.value.emplace();
  return r.literal(">") && r.text(*f.value) && r.literal("</sf:") && r.literal(name) && r.tag(">");
}

bool read_notification(reader& r, notification& n) {
  if (!(read_id_element(r, "<Id>", "</Id>", n.id) && r.literal("<sObject xsi:type=\"sf:")))
    return false;
  const auto type = r.name();
  if (type.empty() || !r.tag("\" xmlns:sf=\"urn:sobject.enterprise.soap.sforce.com\">") ||
      !read_id_element(r, "<sf:Id>", "</sf:Id>", n.object.id))
    return false;
  n.object.type.assign(type);
  auto& fields = n.object.fields;
  if (fields.capacity() == 0) fields.reserve(16);  // one allocation for most objects' fields
  std::size_t used = 0;
  while (r.literal("<sf:"))
    if (!read_field(r, next_of(fields, used))) return false;
  fields.resize(used);
  return r.tag("</sObject>") && r.tag("</Notification>");
}

}  // namespace

bool detail::parse_canonical_envelope_into(std::string_view body, message& m) {
  reader r(body);
  if (!read_header(r, m.header)) return false;
  std::size_t used = 0;
  while (r.tag("<Notification>")) {
    if (used == max_notifications) return false;  // the DOM says so
    if (!read_notification(r, next_of(m.notifications, used))) return false;
  }
  m.notifications.resize(used);
  return used > 0 && r.tag("</notifications>") && r.tag("</soapenv:Body>") &&
         r.literal("</soapenv:Envelope>") && r.at_end();
}

std::optional<message> detail::parse_canonical_envelope(std::string_view body) {
  message m;
  if (!parse_canonical_envelope_into(body, m)) return std::nullopt;
  return m;
}

}  // namespace outbound::soap
