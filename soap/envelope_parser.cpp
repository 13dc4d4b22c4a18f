// The envelope parser: any SOAP stack's rendering of the outbound request, matched by namespace
// URI. Failures inside are thrown as `failure` and turned into expected<>::failure at the top, so
// each check stays one line; they never leave this file.
#include <pugixml.hpp>

#include <string>

#include "common/input_error.hpp"
#include "common/text.hpp"
#include "soap/envelope.hpp"
#include "soap/ids.hpp"
#include "soap/xml_names.hpp"

namespace outbound::soap {
namespace {

struct failure {
  std::string reason;
};
[[noreturn]] void fail(std::string reason) {
  throw failure{std::move(reason)};
}

// parse_default (CDATA, escapes, end-of-line normalisation) without attribute whitespace
// conversion (the attributes read here are trimmed), plus keeping a value made only of spaces; no
// comments or PIs are built. A DOCTYPE node is, only so that it can be refused.
constexpr unsigned parse_options = (pugi::parse_default & ~pugi::parse_wconv_attribute) |
                                   pugi::parse_ws_pcdata_single | pugi::parse_doctype;

// type() is node_null past the last sibling: one pugixml call per node, not two.
pugi::xml_node skip_to_element(pugi::xml_node n) {
  for (;; n = n.next_sibling()) {
    const auto type = n.type();
    if (type == pugi::node_element || type == pugi::node_null) return n;
  }
}
pugi::xml_node first_element(pugi::xml_node parent) {
  return skip_to_element(parent.first_child());
}
pugi::xml_node next_element(pugi::xml_node n) {
  return skip_to_element(n.next_sibling());
}

// Where a failure is, named only when one happens: building "Notification 3" for every
// notification would cost more than some of its fields.
struct place {
  std::string_view header_element;  // empty: the notification below
  std::size_t notification = 0;
  std::string text() const {
    if (!header_element.empty()) return std::string(header_element);
    return "Notification " + std::to_string(notification + 1);
  }
};

using detail::namespace_scope;
using detail::resolved_name;

// xsi:nil="true" or "1" (xsd:boolean), with the xsi prefix resolved in the scope of `e`, which is
// entered.
bool is_nil(pugi::xml_node e, const namespace_scope& ns) {
  for (auto a = e.first_attribute(); a; a = a.next_attribute()) {
    const auto [prefix, local] = detail::split_name(a.name());
    if (prefix.empty() || local != "nil" || ns.resolve(prefix) != xsi_ns) continue;
    const auto v = trim(a.value());
    return v == "true" || v == "1";
  }
  return false;
}

// `where` + `what` name the element in a failure.
std::string text_of(pugi::xml_node e, place where, std::string_view what = {}) {
  std::string s;
  if (!detail::element_text(e, s))
    fail(where.text() + std::string(what) + " has child elements, expected text");
  return s;
}

std::string id_of(pugi::xml_node e, place where, std::string_view what = {}) {
  std::string s = text_of(e, where, what);
  const auto t = trim(s);
  if (!is_valid_id(t))
    fail(where.text() + std::string(what) + ": invalid id '" + shorten_value(t) + "'");
  if (t.size() == s.size()) return s;  // the common case: no blanks, no second copy
  return std::string(t);
}

// The header elements in the WSDL's sequence order; `ns` has the notifications element entered.
pugi::xml_node parse_header(namespace_scope& ns, pugi::xml_node notifications, message_header& h) {
  auto e = first_element(notifications);
  // Each element in its own scope: what one declares (xsi, say) is not in force for the next.
  const auto next = [&](std::string_view name, auto read) {
    if (!e) fail("notifications: missing " + std::string(name));
    const namespace_scope::entered in(ns, e);
    if (!ns.resolve_name(e.name()).is(outbound_ns, name))
      fail("notifications: expected " + std::string(name) + ", found " + detail::describe(e));
    read();
    e = next_element(e);
  };
  next("OrganizationId", [&] { h.organization_id = id_of(e, {"OrganizationId"}); });
  next("ActionId", [&] { h.action_id = id_of(e, {"ActionId"}); });
  next("SessionId", [&] {
    if (!is_nil(e, ns)) h.session_id = text_of(e, {"SessionId"});
  });
  next("EnterpriseUrl", [&] { h.enterprise_url = text_of(e, {"EnterpriseUrl"}); });
  next("PartnerUrl", [&] { h.partner_url = text_of(e, {"PartnerUrl"}); });
  return e;
}

// The local name of xsi:type's QName value, whose prefix must resolve to the sObject namespace.
// `ns` has the sObject entered.
std::string sobject_type(pugi::xml_node so, const namespace_scope& ns, place where) {
  for (auto a = so.first_attribute(); a; a = a.next_attribute()) {
    const auto [prefix, local] = detail::split_name(a.name());
    if (prefix.empty() || local != "type" || ns.resolve(prefix) != xsi_ns) continue;
    const std::string_view value = trim(a.value());
    const auto type = detail::split_name(value);
    if (ns.resolve(type.prefix) != sobject_ns)
      fail(where.text() + ": sObject xsi:type '" + shorten_value(value) + "' is not a type in " +
           std::string(sobject_ns));
    return std::string(type.local);
  }
  return {};  // no xsi:type: the WSDL's element type applies, which names no object here
}

void parse_sobject(pugi::xml_node so, namespace_scope& ns, sobject& o, place where) {
  const namespace_scope::entered in(ns, so);
  o.type = sobject_type(so, ns, where);
  // Counted first: growing the vector one field at a time moved every field's strings ~log2(n)
  // times, the largest single cost of parsing a notification. Nodes, not elements: enough room,
  // for fewer calls into pugixml.
  std::size_t nodes = 0;
  for (auto n = so.first_child(); n; n = n.next_sibling()) ++nodes;
  o.fields.reserve(nodes);
  bool have_id = false;
  for (auto e = first_element(so); e; e = next_element(e)) {
    const namespace_scope::entered field(ns, e);
    const auto name = ns.resolve_name(e.name());
    if (name.uri != sobject_ns)
      fail(where.text() + ": sObject field " + detail::describe(e) + " is not in " +
           std::string(sobject_ns));
    const bool nil = field.has_attributes() && is_nil(e, ns);
    if (name.local == "Id") {
      if (have_id) fail(where.text() + ": sObject has two Id elements");
      if (nil) fail(where.text() + ": sObject has no Id");
      o.id = id_of(e, where, " sObject Id");
      have_id = true;
      continue;
    }
    auto& f = o.fields.emplace_back();
    f.name.assign(name.local);
    if (!nil && !detail::element_text(e, f.value.emplace()))
      fail(where.text() + " field " + f.name + " has child elements, expected text");
  }
  if (!have_id) fail(where.text() + ": sObject has no Id");
}

void parse_notification(pugi::xml_node n, namespace_scope& ns, notification& out,
                        std::size_t index) {
  const place where{{}, index};
  const namespace_scope::entered in(ns, n);
  pugi::xml_node id, so;
  for (auto e = first_element(n); e; e = next_element(e)) {
    const namespace_scope::entered child(ns, e);
    const auto name = ns.resolve_name(e.name());
    if (name.is(outbound_ns, "Id") && !id)
      id = e;
    else if (name.is(outbound_ns, "sObject") && !so)
      so = e;
    else
      fail(where.text() + ": unexpected element " + detail::describe(e));
  }
  if (!id) fail(where.text() + " has no Id");
  out.id = id_of(id, where, " Id");
  if (!so) fail(where.text() + " has no sObject");
  parse_sobject(so, ns, out.object, where);
}

// The element that comes next on the way down, entered in `ns` for the rest of the walk.
resolved_name enter(namespace_scope& ns, pugi::xml_node e) {
  ns.enter(e);
  return ns.resolve_name(e.name());
}

pugi::xml_node find_body(pugi::xml_node envelope, namespace_scope& ns) {
  for (auto e = first_element(envelope); e; e = next_element(e)) {
    const auto level = ns.enter(e);
    const auto name = ns.resolve_name(e.name());
    if (name.is(soapenv_ns, "Body")) return e;  // left entered: the walk goes on below it
    if (!name.is(soapenv_ns, "Header"))
      fail("unexpected element " + detail::describe(e) + " in the envelope, expected Body");
    ns.leave(level);
  }
  fail("no Body in the SOAP envelope");
}

pugi::xml_node find_notifications(pugi::xml_node body, namespace_scope& ns) {
  const auto e = first_element(body);
  const std::string expected = "expected notifications in " + std::string(outbound_ns);
  if (!e) fail("Body is empty, " + expected);
  if (!enter(ns, e).is(outbound_ns, "notifications"))
    fail("body element is " + detail::describe(e) + ", " + expected);
  if (next_element(e)) fail("Body has more than one element: " + detail::describe(next_element(e)));
  return e;
}

void parse_notifications(namespace_scope& ns, pugi::xml_node first,
                         std::vector<notification>& out) {
  std::size_t count = 0;
  for (auto e = first; e; e = next_element(e)) {
    const namespace_scope::entered in(ns, e);
    if (!ns.resolve_name(e.name()).is(outbound_ns, "Notification"))
      fail("notifications: unexpected element " + detail::describe(e) + ", expected Notification");
    ++count;
  }
  if (count == 0) fail("notifications has no Notification");
  if (count > max_notifications)
    fail(std::to_string(count) + " notifications, at most " + std::to_string(max_notifications) +
         " allowed");
  out.resize(count);
  std::size_t i = 0;
  for (auto e = first; e; e = next_element(e), ++i) parse_notification(e, ns, out[i], i);
}

pugi::xml_node root_element(const pugi::xml_document& doc, namespace_scope& ns) {
  for (auto n = doc.first_child(); n; n = n.next_sibling())
    if (n.type() == pugi::node_doctype) fail("a SOAP 1.1 message must not contain a DTD (DOCTYPE)");
  const auto root = doc.document_element();
  if (!root) fail("not XML: no root element");
  if (next_element(root)) fail("not XML: more than one root element");
  if (!enter(ns, root).is(soapenv_ns, "Envelope"))
    fail("not a SOAP 1.1 envelope: root element is " + detail::describe(root));
  return root;
}

}  // namespace

expected<message> parse_envelope(std::string_view body) {
  message m;
  if (auto refused = parse_envelope_into(body, m))
    return expected<message>::failure(std::move(*refused));
  return m;
}

std::optional<std::string> parse_envelope_into(std::string_view body, message& out) {
  // Most envelopes are in the one form Salesforce sends: read without building a DOM.
  if (detail::parse_canonical_envelope_into(body, out)) return std::nullopt;
  auto m = detail::parse_envelope_by_dom(body);
  if (!m) return std::move(m.error());
  out = std::move(*m);
  return std::nullopt;
}

expected<message> detail::parse_envelope_by_dom(std::string_view body) {
  pugi::xml_document doc;
  const auto r = doc.load_buffer(body.data(), body.size(), parse_options, pugi::encoding_auto);
  if (!r)
    return expected<message>::failure(std::string("not XML: ") + r.description() + " at offset " +
                                      std::to_string(r.offset));
  try {
    // The walk goes down Envelope, Body and notifications, entering each in `ns`.
    namespace_scope ns;
    const auto notifications = find_notifications(find_body(root_element(doc, ns), ns), ns);
    message m;
    const auto first = parse_header(ns, notifications, m.header);
    parse_notifications(ns, first, m.notifications);
    return m;
  } catch (failure& f) {
    return expected<message>::failure(std::move(f.reason));
  }
}

}  // namespace outbound::soap
