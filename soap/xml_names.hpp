#pragma once
// Namespace resolution over a pugixml tree, by URI rather than prefix (internal to soap/): pugixml
// keeps names as written, so prefixes are looked up through the xmlns declarations in scope. A
// parser that descends the tree keeps those declarations on a stack as it goes:
//   namespace_scope ns;
//   ns.enter(root);  if (!ns.resolve_name(root.name()).is(soapenv_ns, "Envelope")) ...
//   { const namespace_scope::entered in(ns, child);  ns.resolve_name(child.name()) ... }

#include <pugixml.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace outbound::soap::detail {

struct qname {
  std::string_view prefix;  // empty when there is none
  std::string_view local;
};
// Where the XML whitespace (space, tab, CR, LF) that starts at `at` in `s` ends: the readers of
// exact forms (the ack, the envelope) skip it between tags, as the DOM does.
inline std::size_t skip_xml_space(std::string_view s, std::size_t at) {
  while (at < s.size() && (s[at] == ' ' || s[at] == '\t' || s[at] == '\r' || s[at] == '\n')) ++at;
  return at;
}

inline qname split_name(std::string_view name) {
  const auto colon = name.find(':');
  if (colon == std::string_view::npos) return {{}, name};
  return {name.substr(0, colon), name.substr(colon + 1)};
}

// The element's namespace URI and local name; the URI is nullopt for an undeclared prefix.
struct resolved_name {
  std::optional<std::string_view> uri;
  std::string_view local;
  bool is(std::string_view ns, std::string_view name) const { return uri == ns && local == name; }
};

// The declarations in force at the element a parser has reached: each element's attributes are
// scanned once when it is entered, its xmlns declarations pushed, and a prefix is looked up from
// the top of the stack, so a walk costs what the declarations do, not a climb up the ancestors for
// every name. Past a few dozen declarations the stack is also indexed by prefix, so 20,000 prefixes
// declared on one ancestor cost 20,000 steps, not 20,000 squared. One per document and walk.
class namespace_scope {
 public:
  // Room for an envelope's few declarations, so that pushing them does not grow the vector.
  namespace_scope() { bindings_.reserve(8); }
  struct level {
    std::size_t depth;  // the declarations in force before the element, for leave()
    bool attributes;    // whether the element has any attribute (without, it is not nil, say)
  };
  // What is in force once `e` is entered: the names of `e`, of its attributes and of whatever
  // is entered below it resolve through its declarations.
  level enter(pugi::xml_node e) {
    const auto last = e.last_attribute();
    if (!last) return {bindings_.size(), false};  // most elements: nothing to scan
    return declare(last);
  }
  // Drops what was entered since `l` (most elements declare nothing: nothing to drop).
  void leave(level l) {
    if (l.depth != bindings_.size()) pop_to(l.depth);
  }

  // The URI bound to `prefix` ("" for the default namespace, giving "" when none is declared: no
  // namespace); nullopt for an undeclared prefix (xmlns:p="" undeclares p).
  std::optional<std::string_view> resolve(std::string_view prefix) const {
    if (indexed_ || prefix == "xml") return resolve_otherwise(prefix);
    // A few declarations, the innermost on top: the sObject's prefix is found at once.
    for (auto i = bindings_.size(); i-- > 0;)
      if (bindings_[i].prefix == prefix) return bindings_[i].uri;
    return no_binding(prefix);
  }
  // An element's or an attribute's name as written ("p:local"), resolved.
  resolved_name resolve_name(std::string_view name) const {
    const auto [prefix, local] = split_name(name);
    return {resolve(prefix), local};
  }

  // An element entered for as long as this lives.
  class entered {
   public:
    entered(namespace_scope& scope, pugi::xml_node e) : scope_(scope), level_(scope.enter(e)) {}
    ~entered() { scope_.leave(level_); }
    entered(const entered&) = delete;
    entered& operator=(const entered&) = delete;
    bool has_attributes() const { return level_.attributes; }

   private:
    namespace_scope& scope_;
    level level_;
  };

 private:
  static constexpr std::uint32_t none = UINT32_MAX;
  struct binding {
    std::string_view prefix;
    std::optional<std::string_view> uri;  // nullopt: xmlns:p="", which is no declaration
    std::uint32_t shadowed = none;        // with the index: the binding of the prefix below
  };
  static std::optional<std::string_view> no_binding(std::string_view prefix) {
    if (prefix.empty()) return std::string_view{};
    return std::nullopt;
  }
  std::optional<std::string_view> resolve_otherwise(std::string_view prefix) const;
  level declare(pugi::xml_attribute last);
  void push(std::string_view prefix, std::optional<std::string_view> uri);
  void build_index();
  void pop_to(std::size_t depth);

  std::vector<binding> bindings_;
  // The topmost binding of each prefix, kept only once bindings_ has outgrown a linear search.
  std::unordered_map<std::string_view, std::uint32_t> top_;
  bool indexed_ = false;
};

// The URI bound to `prefix` at element `e`, by climbing its ancestors: for messages only, where a
// walk is not at hand (describe()), since each call scans every ancestor's attributes.
std::optional<std::string_view> resolve_prefix(pugi::xml_node e, std::string_view prefix);

// "{uri}local" for messages; "prefix:local (undeclared prefix)" when it cannot be resolved.
std::string describe(pugi::xml_node e);

// Character data of an element (text and CDATA sections, concatenated); false when it has element
// children.
bool element_text(pugi::xml_node e, std::string& out);

}  // namespace outbound::soap::detail
