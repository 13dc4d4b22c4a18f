#pragma once
// Namespace resolution over a pugixml tree, by URI rather than prefix (internal to soap/): pugixml
// keeps names as written, so prefixes are looked up through the xmlns declarations in scope.
//   auto [prefix, local] = split_name(e.name());
//   std::optional<std::string_view> uri = resolve_prefix(e, prefix);  // nullopt: undeclared

#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace outbound::soap::detail {

struct qname {
  std::string_view prefix;  // empty when there is none
  std::string_view local;
};
qname split_name(std::string_view name);

// The URI bound to `prefix` at element `e` ("" for the default namespace, giving "" when none is
// declared: no namespace); nullopt for an undeclared prefix.
std::optional<std::string_view> resolve_prefix(pugi::xml_node e, std::string_view prefix);

// "{uri}local" for messages; "prefix:local (undeclared prefix)" when it cannot be resolved.
std::string describe(pugi::xml_node e);

// The element's namespace URI and local name; the URI is nullopt for an undeclared prefix.
struct resolved_name {
  std::optional<std::string_view> uri;
  std::string_view local;
  bool is(std::string_view ns, std::string_view name) const { return uri == ns && local == name; }
};

// The namespace declarations of one parsed document, looked up in O(depth) whatever the number of
// declarations an element carries: an element with many attributes is indexed on first use, so
// 20,000 prefixes declared on one ancestor cost 20,000 steps, not 20,000 squared. One per document.
//   namespace_index ns;  if (ns.resolve_element(e).is(soapenv_ns, "Body")) ...
class namespace_index {
 public:
  // What `e` itself declares for `prefix`: nullopt when nothing, else the URI (nullopt for
  // xmlns:p="", which is no declaration in XML 1.0 namespaces).
  std::optional<std::optional<std::string_view>> declared(pugi::xml_node e,
                                                          std::string_view prefix);
  // As resolve_prefix and resolve_element, through the index.
  std::optional<std::string_view> resolve(pugi::xml_node e, std::string_view prefix);
  resolved_name resolve_element(pugi::xml_node e);

 private:
  using table = std::unordered_map<std::string_view, std::optional<std::string_view>>;
  std::unordered_map<const void*, table> large_;
};

// Resolves prefixes of the children of one element (and of their attributes) with a small cache,
// since hundreds of sObject fields share the prefixes declared on or above their parent. With an
// `outer` scope (the one of `parent`'s own siblings), a prefix `parent` does not declare is asked
// of it, so nested scopes walk each level once per message instead of once per element.
// The cache holds a few prefixes only: beyond them every lookup goes through the index.
//   child_scope body_scope(notifications, index);  child_scope note_scope(n, body_scope);
class child_scope {
 public:
  child_scope(pugi::xml_node parent, namespace_index& index) : parent_(parent), index_(index) {}
  child_scope(pugi::xml_node parent, child_scope& outer)
      : parent_(parent), outer_(&outer), index_(outer.index_) {}
  std::optional<std::string_view> resolve(pugi::xml_node child, std::string_view prefix);
  resolved_name resolve_element(pugi::xml_node child);

 private:
  std::optional<std::string_view> resolve_at_parent(std::string_view prefix);

  pugi::xml_node parent_;
  child_scope* outer_ = nullptr;
  namespace_index& index_;
  std::vector<std::pair<std::string_view, std::optional<std::string_view>>> cache_;
};

resolved_name resolve_element(pugi::xml_node e);

// Character data of an element (text and CDATA sections, concatenated); false when it has element
// children.
bool element_text(pugi::xml_node e, std::string& out);

}  // namespace outbound::soap::detail
