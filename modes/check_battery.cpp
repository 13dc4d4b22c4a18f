#include "modes/check_battery.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "reports/render.hpp"
#include "sender/verdict.hpp"
#include "soap/ids.hpp"
#include "soap/sample_data.hpp"

namespace outbound::modes {
namespace {

// Values a listener's XML parser and database must carry unchanged: markup characters, a CDATA
// terminator, scripts beyond Latin-1, characters outside the Basic Multilingual Plane, whitespace.
constexpr std::array<std::string_view, 7> tricky_values{
    "M\u00fcller & S\u00f6hne <GmbH> \"Kontor\" 'Nord'",
    "\u6771\u4eac\u90fd\u5343\u4ee3\u7530\u533a\u4e38\u306e\u5185 1-1-1",
    "Z\u00fcrich ]]> <![CDATA[ not a section ]]>",
    "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u00b7 "
    "\u0420\u0443\u0441\u0441\u043a\u0438\u0439 "
    "\u00b7 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u00b7 \u05e2\u05d1\u05e8\u05d9\u05ea",
    "Rocket \U0001F680 and clef \U0001D11E outside the BMP",
    "tab\tand newline\nsecond line",
    "&amp; is text here, as are &lt; < > & ' \"",
};

// Salesforce's id space for generated sequences (62^10); fresh random ids per run.
constexpr std::uint64_t id_space = 839'299'365'868'340'224ULL;

std::string random_session_id(std::string_view organization_id, random& rng) {
  static constexpr std::string_view alphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
  std::string s(organization_id.substr(0, 15));
  s += "!AQ4AQ";
  for (int i = 0; i < 90; ++i) s += alphabet[rng.below(alphabet.size())];
  return s;
}

soap::notification fresh_notification(const soap::definition& d, random& rng) {
  soap::notification n;
  n.id = soap::make_id(soap::key_prefix::notification, rng.below(id_space));
  n.object.type = d.object;
  n.object.id = soap::make_id(soap::key_prefix_for(d.object), rng.below(id_space));
  n.object.fields = soap::sample_fields(d, rng);
  return n;
}

soap::message fresh_message(const soap::definition& d, std::size_t count, random& rng,
                            bool with_session) {
  soap::message m;
  m.header = soap::make_header(
      d.organization_id, d.action_id, d.api_version,
      with_session ? std::optional<std::string>(random_session_id(d.organization_id, rng))
                   : std::nullopt);
  for (std::size_t i = 0; i < count; ++i) m.notifications.push_back(fresh_notification(d, rng));
  return m;
}

void use_tricky_values(const soap::definition& d, soap::message& m) {
  std::size_t next = 0;
  for (auto& n : m.notifications)
    for (auto& v : n.object.fields)
      for (const auto& f : d.fields)
        if (f.name == v.name && f.type == soap::field_type::string)
          v.value = std::string(tricky_values[next++ % tricky_values.size()]);
}

// Real traffic carries 15-character ids (see the reference request): a listener must not insist
// on 18.
void use_15_character_ids(const soap::definition& d, soap::message& m) {
  auto cut = [](std::string& id) {
    if (id.size() == 18) id.resize(15);
  };
  cut(m.header.organization_id);
  for (auto& n : m.notifications) {
    cut(n.id);
    cut(n.object.id);
    for (auto& v : n.object.fields)
      for (const auto& f : d.fields)
        if (f.name == v.name && f.type == soap::field_type::id && v.value) cut(*v.value);
  }
}

}  // namespace

std::vector<check_case> make_battery(const soap::definition& d, random& rng) {
  std::vector<check_case> out;
  out.push_back({"one_notification", "one notification", fresh_message(d, 1, rng, true)});
  out.push_back({"hundred_notifications", "100 notifications in one message",
                 fresh_message(d, soap::max_notifications, rng, true)});
  // Salesforce retries with the same notification ids; an id seen before must be acked again.
  out.push_back({"redelivery", "the first message's notification ids again (a redelivery)",
                 out.front().message});
  out.push_back({"nil_session_id", "SessionId sent as xsi:nil", fresh_message(d, 1, rng, false)});

  check_case special{"special_characters",
                     "Unicode and XML special characters (& < > \" ' ]]>) in fields",
                     fresh_message(d, 3, rng, true)};
  use_tricky_values(d, special.message);
  out.push_back(std::move(special));

  check_case deleted{"deleted_record", "a deleted record's notification (Id only, no fields)",
                     fresh_message(d, 1, rng, true)};
  deleted.message.notifications.front().object.fields.clear();
  out.push_back(std::move(deleted));

  check_case short_ids{"fifteen_character_ids",
                       "15-character organization, notification and record ids",
                       fresh_message(d, 2, rng, true)};
  use_15_character_ids(d, short_ids.message);
  out.push_back(std::move(short_ids));
  return out;
}

bool is_text_xml(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front())))
    media.remove_prefix(1);
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back())))
    media.remove_suffix(1);
  constexpr std::string_view wanted = "text/xml";
  if (media.size() != wanted.size()) return false;
  for (std::size_t i = 0; i < wanted.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(media[i])) != wanted[i]) return false;
  return true;
}

namespace {

// What a SOAP envelope carries: the text between its Body's start and end tags (any prefix), so a
// preview shows "<receipt ...>" rather than 120 bytes of XML declaration and namespaces. Anything
// that is not an envelope with a Body stays whole.
std::string_view inside_soap_body(std::string_view body) {
  std::size_t open = std::string_view::npos;
  for (std::size_t at = body.find("Body"); at != std::string_view::npos;
       at = body.find("Body", at + 4)) {
    const std::size_t lt = body.rfind('<', at);
    if (lt == std::string_view::npos || body[lt + 1] == '/') continue;
    const auto name = body.substr(lt + 1, at + 4 - lt - 1);  // "soapenv:Body" or "Body"
    if (name.find_first_of(" \t\r\n>/") != std::string_view::npos) continue;
    if (name != "Body" && !name.ends_with(":Body")) continue;
    // "<Body>" or "<Body xmlns...>", not "<Bodyguard>".
    if (at + 4 >= body.size() ||
        std::string_view(" \t\r\n>").find(body[at + 4]) == std::string_view::npos)
      continue;
    open = body.find('>', at);
    break;
  }
  if (open == std::string_view::npos) return body;
  std::string_view inner = body.substr(open + 1);
  const std::size_t close = inner.rfind("Body>");
  if (close != std::string_view::npos) {
    const std::size_t lt = inner.rfind("</", close);
    if (lt != std::string_view::npos) inner = inner.substr(0, lt);
  }
  return inner;
}

}  // namespace

std::string body_preview(std::string_view body, std::size_t max_bytes) {
  body = inside_soap_body(body);
  // One line: every run of blanks and control characters becomes one space.
  std::string flat;
  for (char c : body) {
    const bool blank = static_cast<unsigned char>(c) <= 0x20;
    if (!blank)
      flat += c;
    else if (!flat.empty() && flat.back() != ' ')
      flat += ' ';
  }
  if (!flat.empty() && flat.back() == ' ') flat.pop_back();
  if (flat.size() <= max_bytes) return flat;
  std::size_t cut = max_bytes;
  // Never end inside a UTF-8 sequence: back up to the start of the character at `cut`.
  while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;
  // After a whole word when one ends in the second half.
  if (const auto space = flat.rfind(' ', cut); space != std::string::npos && space >= cut / 2)
    cut = space;
  return flat.substr(0, cut) + "\u2026";
}

namespace {

// What a complete HTTP answer said, in a few words: its Ack, its faultstring, or Salesforce's
// wording of what is wrong with it.
std::string answer_summary(const sender::attempt_result& r, const sender::verdict& v) {
  const auto& resp = r.response;
  std::string out =
      fmt::format("HTTP {}{}{}", resp.status, resp.reason.empty() ? "" : " ", resp.reason);
  if (v.delivered)
    out += ", Ack true";
  else if (v.failure_class == "nack")
    out += ", Ack false";
  else if (v.failure_class == "soap_fault")
    out += ", SOAP fault: " + v.reason;
  else if (v.failure_class != "http_status")  // the status says it all
    out += ", " + v.reason;
  if (!is_text_xml(resp.content_type))
    out += resp.content_type.empty() ? std::string(", no Content-Type")
                                     : fmt::format(", Content-Type '{}'", resp.content_type);
  return out;
}

}  // namespace

check_outcome judge_answer(const check_case& c, const sender::attempt_result& r, duration timeout) {
  check_outcome o;
  o.name = c.name;
  o.description = c.description;
  o.elapsed = r.elapsed;
  o.notifications = c.message.notifications.size();
  const sender::verdict v = sender::judge(r);
  const auto took = reports::format_us(static_cast<double>(r.elapsed.count()));
  std::vector<std::string> broken;
  if (r.error != sender::transport_error::none) {
    o.came_back =
        fmt::format("no HTTP response after {}: {}", took, v.reason.empty() ? r.detail : v.reason);
    broken.push_back(r.error == sender::transport_error::timeout
                         ? fmt::format("no answer within the {} timeout", format_duration(timeout))
                         : fmt::format("no HTTP response ({})", v.failure_class));
  } else {
    const auto& resp = r.response;
    o.came_back = answer_summary(r, v) + ", in " + took;
    // An Ack, a nack or a fault is said in full by the summary; any other body is shown.
    if (v.delivered || v.failure_class == "nack" || v.failure_class == "soap_fault")
      o.body_excerpt.clear();
    else
      o.body_excerpt = body_preview(resp.body);
    // The answer's own verdict first: it is the reason a listener's author looks for.
    if (v.failure_class == "soap_fault")
      broken.push_back("SOAP fault: " + v.reason);
    else if (!v.delivered && v.failure_class != "http_status")
      broken.push_back(fmt::format("not an Ack of true ({}: {})", v.failure_class, v.reason));
    if (resp.status != 200) broken.push_back(fmt::format("HTTP {}, expected 200", resp.status));
    if (!is_text_xml(resp.content_type))
      broken.push_back(fmt::format("Content-Type '{}', expected text/xml", resp.content_type));
    if (r.elapsed > timeout)
      broken.push_back(
          fmt::format("answered after {}, beyond the {} timeout", took, format_duration(timeout)));
  }
  o.passed = broken.empty();
  for (const auto& b : broken) o.failure += (o.failure.empty() ? "" : "; ") + b;
  return o;
}

}  // namespace outbound::modes
