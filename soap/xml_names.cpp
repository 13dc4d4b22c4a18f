// Namespace resolution for the envelope and ack parsers.
#include "soap/xml_names.hpp"

#include <cstring>

namespace outbound::soap::detail {
namespace {

constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

bool starts_with_xmlns(const char* name) {
  return std::strncmp(name, "xmlns", 5) == 0;
}

// What `e` itself declares for `prefix`: nullopt when it says nothing, else the URI (nullopt for
// xmlns:p="", which is no declaration in XML 1.0 namespaces; xmlns="" means no namespace).
// What attribute `a` declares for `prefix`, as declaration() below.
std::optional<std::optional<std::string_view>> declaration_by(pugi::xml_attribute a,
                                                              std::string_view prefix) {
  const char* name = a.name();
  if (!starts_with_xmlns(name)) return std::nullopt;
  const std::string_view rest(name + 5);
  if (prefix.empty()
          ? rest.empty()
          : (rest.size() == prefix.size() + 1 && rest[0] == ':' && rest.substr(1) == prefix)) {
    const std::string_view uri = a.value();
    if (uri.empty() && !prefix.empty()) return std::optional<std::string_view>();
    return std::optional<std::string_view>(uri);
  }
  return std::nullopt;
}

std::optional<std::optional<std::string_view>> declaration(pugi::xml_node e,
                                                           std::string_view prefix) {
  for (auto a = e.first_attribute(); a; a = a.next_attribute())
    if (auto found = declaration_by(a, prefix)) return found;
  return std::nullopt;
}

}  // namespace

qname split_name(std::string_view name) {
  const auto colon = name.find(':');
  if (colon == std::string_view::npos) return {{}, name};
  return {name.substr(0, colon), name.substr(colon + 1)};
}

std::optional<std::string_view> resolve_prefix(pugi::xml_node e, std::string_view prefix) {
  if (prefix == "xml") return xml_ns;
  for (; e && e.type() == pugi::node_element; e = e.parent())
    if (auto found = declaration(e, prefix)) return *found;
  if (prefix.empty()) return std::string_view{};
  return std::nullopt;
}

// Elements with more attributes than this are indexed on first lookup; below, a scan is cheaper.
constexpr int scan_limit = 16;

std::optional<std::optional<std::string_view>> namespace_index::declared(pugi::xml_node e,
                                                                         std::string_view prefix) {
  const void* key = e.internal_object();
  if (auto it = large_.find(key); it != large_.end()) {
    const auto found = it->second.find(prefix);
    if (found == it->second.end()) return std::nullopt;
    return found->second;
  }
  // Most elements carry no attribute, and few more than a handful: one scan answers, and only an
  // element found to carry more than scan_limit is indexed.
  int count = 0;
  std::optional<std::optional<std::string_view>> found_here;
  for (auto a = e.first_attribute(); a; a = a.next_attribute()) {
    if (++count > scan_limit) break;
    if (!found_here) found_here = declaration_by(a, prefix);
  }
  if (count <= scan_limit) return found_here;
  table& t = large_[key];
  for (auto a = e.first_attribute(); a; a = a.next_attribute()) {
    const char* name = a.name();
    if (!starts_with_xmlns(name)) continue;
    const std::string_view rest(name + 5);
    if (!rest.empty() && rest[0] != ':') continue;  // "xmlnsfoo" is an ordinary attribute
    const std::string_view p = rest.empty() ? rest : rest.substr(1);
    const std::string_view uri = a.value();
    // The first declaration wins, as in declaration().
    t.try_emplace(p, uri.empty() && !p.empty() ? std::nullopt : std::optional(uri));
  }
  const auto found = t.find(prefix);
  if (found == t.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string_view> namespace_index::resolve(pugi::xml_node e,
                                                         std::string_view prefix) {
  if (prefix == "xml") return xml_ns;
  for (; e && e.type() == pugi::node_element; e = e.parent())
    if (auto found = declared(e, prefix)) return *found;
  if (prefix.empty()) return std::string_view{};
  return std::nullopt;
}

resolved_name namespace_index::resolve_element(pugi::xml_node e) {
  const auto [prefix, local] = split_name(e.name());
  return {resolve(e, prefix), local};
}

std::optional<std::string_view> child_scope::resolve(pugi::xml_node child,
                                                     std::string_view prefix) {
  if (prefix == "xml") return xml_ns;
  // The common case, a field without attributes, declares nothing: straight to the cache.
  if (child.first_attribute())
    if (auto found = index_.declared(child, prefix)) return *found;
  return resolve_at_parent(prefix);
}

resolved_name child_scope::resolve_element(pugi::xml_node child) {
  const auto [prefix, local] = split_name(child.name());
  return {resolve(child, prefix), local};
}

std::optional<std::string_view> child_scope::resolve_at_parent(std::string_view prefix) {
  for (const auto& [p, uri] : cache_)
    if (p == prefix) return uri;
  auto uri = outer_ ? outer_->resolve(parent_, prefix) : index_.resolve(parent_, prefix);
  if (cache_.size() < 8) cache_.emplace_back(prefix, uri);  // a bounded scan, never quadratic
  return uri;
}

resolved_name resolve_element(pugi::xml_node e) {
  const auto [prefix, local] = split_name(e.name());
  return {resolve_prefix(e, prefix), local};
}

std::string describe(pugi::xml_node e) {
  const auto n = resolve_element(e);
  if (!n.uri) return std::string(e.name()) + " (undeclared prefix)";
  std::string out = "{";
  out += *n.uri;
  out += '}';
  out += n.local;
  return out;
}

bool element_text(pugi::xml_node e, std::string& out) {
  out.clear();
  auto c = e.first_child();
  // The common case: exactly one text node, copied once.
  if (c && !c.next_sibling() && (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata)) {
    out = c.value();
    return true;
  }
  for (; c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata)
      out += c.value();
    else if (c.type() == pugi::node_element)
      return false;
  }
  return true;
}

}  // namespace outbound::soap::detail
