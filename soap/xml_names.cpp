// Namespace resolution for the envelope and ack parsers.
#include "soap/xml_names.hpp"

#include <utility>

namespace outbound::soap::detail {
namespace {

constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

// The prefix an attribute named `name` declares ("" for xmlns, the default namespace); nullopt
// for an ordinary attribute ("xmlnsfoo" is one, and so is "xmlns:", which names no prefix).
std::optional<std::string_view> declared_prefix(const char* name) {
  if (name[0] != 'x' || name[1] != 'm' || name[2] != 'l' || name[3] != 'n' || name[4] != 's')
    return std::nullopt;
  if (name[5] == '\0') return std::string_view{};
  if (name[5] != ':' || name[6] == '\0') return std::nullopt;
  return std::string_view(name + 6);
}

// What a declaration binds: xmlns:p="" is no declaration in XML 1.0 namespaces (p stays
// undeclared), while xmlns="" means no namespace.
std::optional<std::string_view> bound_uri(std::string_view prefix, std::string_view uri) {
  if (uri.empty() && !prefix.empty()) return std::nullopt;
  return uri;
}

}  // namespace

// Beyond this many bindings a lookup goes through the index rather than a scan of the stack.
constexpr std::size_t linear_limit = 32;

// The declarations among an element's attributes, `last` its last attribute.
namespace_scope::level namespace_scope::declare(pugi::xml_attribute last) {
  const std::size_t depth = bindings_.size();
  // Last to first, so that of two declarations of one prefix on an element the first is on top.
  for (auto a = last; a; a = a.previous_attribute())
    if (const auto prefix = declared_prefix(a.name())) push(*prefix, bound_uri(*prefix, a.value()));
  return {depth, true};
}

void namespace_scope::push(std::string_view prefix, std::optional<std::string_view> uri) {
  const auto index = static_cast<std::uint32_t>(bindings_.size());
  bindings_.push_back({prefix, uri});
  if (indexed_) {
    const auto [top, inserted] = top_.try_emplace(prefix, index);
    if (!inserted) bindings_.back().shadowed = std::exchange(top->second, index);
  } else if (bindings_.size() > linear_limit) {
    build_index();
  }
}

void namespace_scope::build_index() {
  indexed_ = true;
  for (std::uint32_t i = 0; i < bindings_.size(); ++i) {
    const auto [top, inserted] = top_.try_emplace(bindings_[i].prefix, i);
    if (!inserted) bindings_[i].shadowed = std::exchange(top->second, i);
  }
}

void namespace_scope::pop_to(std::size_t depth) {
  if (indexed_)
    for (auto i = bindings_.size(); i-- > depth;) {
      const auto& b = bindings_[i];
      if (b.shadowed == none)
        top_.erase(b.prefix);
      else
        top_[b.prefix] = b.shadowed;
    }
  bindings_.erase(bindings_.begin() + static_cast<std::ptrdiff_t>(depth), bindings_.end());
}

// The xml prefix, bound for good, and lookups through the index.
std::optional<std::string_view> namespace_scope::resolve_otherwise(std::string_view prefix) const {
  if (prefix == "xml") return xml_ns;
  if (const auto top = top_.find(prefix); top != top_.end()) return bindings_[top->second].uri;
  return no_binding(prefix);
}

std::optional<std::string_view> resolve_prefix(pugi::xml_node e, std::string_view prefix) {
  if (prefix == "xml") return xml_ns;
  for (; e && e.type() == pugi::node_element; e = e.parent())
    for (auto a = e.first_attribute(); a; a = a.next_attribute())
      if (declared_prefix(a.name()) == prefix) return bound_uri(prefix, a.value());
  if (prefix.empty()) return std::string_view{};
  return std::nullopt;
}

std::string describe(pugi::xml_node e) {
  const auto [prefix, local] = split_name(e.name());
  const auto uri = resolve_prefix(e, prefix);
  if (!uri) return std::string(e.name()) + " (undeclared prefix)";
  std::string out = "{";
  out += *uri;
  out += '}';
  out += local;
  return out;
}

bool element_text(pugi::xml_node e, std::string& out) {
  const auto c = e.first_child();
  // The common case: exactly one text node, copied once (each pugixml accessor is a call into the
  // library: type() tells a missing node too).
  const auto type = c.type();
  if ((type == pugi::node_pcdata || type == pugi::node_cdata) &&
      c.next_sibling().type() == pugi::node_null) {
    out = c.value();
    return true;
  }
  out.clear();
  for (auto n = c; n; n = n.next_sibling()) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata)
      out += n.value();
    else if (n.type() == pugi::node_element)
      return false;
  }
  return true;
}

}  // namespace outbound::soap::detail
