#include "soap/definition_detail.hpp"

#include <cstdint>

#include "common/input_error.hpp"
#include "soap/ids.hpp"

namespace outbound::soap::defs {
namespace {

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Ids derived from the definition's name: stable across runs, different per definition.
std::string derived_id(std::string_view prefix, std::string_view salt, std::string_view name) {
  std::string key(salt);
  key += '/';
  key += name;
  // 48 bits keep the id's shape close to real ones (leading zeros after the prefix).
  return make_id(prefix, fnv1a(key) >> 16);
}

void complete_id(std::string& id, std::string_view prefix, std::string_view salt,
                 const definition& d, const std::string& file, const std::string& path) {
  if (id.empty()) {
    id = derived_id(prefix, salt, d.full_name);
    return;
  }
  if (!is_valid_id(id) || !id.starts_with(prefix))
    throw input_error(file, path,
                      "a Salesforce id of 15 or 18 characters starting with " +
                          std::string(prefix) + ", not \"" + shorten_value(id) + "\"");
  if (id.size() == 15) id = to_18(id);
}

}  // namespace

void complete_ids(definition& d, const std::string& file, const std::string& org_path,
                  const std::string& action_path) {
  complete_id(d.organization_id, key_prefix::organization, "organization", d, file, org_path);
  complete_id(d.action_id, key_prefix::action, "action", d, file, action_path);
}

std::string_view local_name(std::string_view qname) {
  auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string resolve_prefix(pugi::xml_node context, std::string_view qname) {
  auto colon = qname.find(':');
  std::string attr = "xmlns";
  if (colon != std::string_view::npos) {
    if (qname.substr(0, colon) == "xml") return "http://www.w3.org/XML/1998/namespace";
    attr += ':';
    attr += qname.substr(0, colon);
  }
  for (pugi::xml_node n = context; n; n = n.parent()) {
    if (n.type() != pugi::node_element) continue;
    if (pugi::xml_attribute a = n.attribute(attr.c_str())) return a.value();
  }
  return {};
}

std::string namespace_of(pugi::xml_node element) {
  return resolve_prefix(element, element.name());
}

namespace {

// The offset of the first byte that is not well-formed UTF-8, or npos. pugixml passes such bytes
// through, and they would end up in generated WSDLs and envelopes.
std::size_t invalid_utf8_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c < 0x80)
      n = 1;
    else if (c >= 0xC2 && c <= 0xDF)
      n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
      n = 3, low = c == 0xE0 ? 0xA0 : 0x80, high = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
      n = 4, low = c == 0xF0 ? 0x90 : 0x80, high = c == 0xF4 ? 0x8F : 0xBF;
    else
      return i;
    if (i + n > s.size()) return i;
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (b < low || b > high) : (b < 0x80 || b > 0xBF)) return i;
    }
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace

void load_xml(pugi::xml_document& doc, std::string_view xml, const std::string& file) {
  if (const auto at = invalid_utf8_at(xml); at != std::string_view::npos)
    throw input_error(
        file, "", "UTF-8 text, as Salesforce writes it (byte " + std::to_string(at) + " is not)");
  const pugi::xml_parse_result ok =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype);
  if (!ok)
    throw input_error(file, "",
                      std::string("well-formed XML (") + ok.description() + " at byte " +
                          std::to_string(ok.offset) + ")");
  for (pugi::xml_node n = doc.first_child(); n; n = n.next_sibling())
    if (n.type() == pugi::node_doctype)
      throw input_error(file, "", "an XML file without a DTD (DOCTYPE), as Salesforce writes them");
}

bool is_element(pugi::xml_node node, std::string_view ns, std::string_view local) {
  return node.type() == pugi::node_element && local_name(node.name()) == local &&
         namespace_of(node) == ns;
}

std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view ns,
                                     std::string_view local) {
  std::vector<pugi::xml_node> found;
  for (pugi::xml_node child : parent.children())
    if (is_element(child, ns, local)) found.push_back(child);
  return found;
}

}  // namespace outbound::soap::defs
