// Definitions from a Salesforce-generated outbound message WSDL. The WSDL carries the object, the
// fields with their types and the endpoint, but neither the message's name nor the org's ids.
#include <pugixml.hpp>

#include <set>

#include "common/input_error.hpp"
#include "soap/definition.hpp"
#include "soap/definition_detail.hpp"
#include "soap/envelope.hpp"

namespace outbound::soap {
namespace {

using defs::children;
using defs::wsdl_ns;

struct qname {
  std::string ns;
  std::string local;
};

qname resolve(pugi::xml_node context, std::string_view value) {
  return {defs::resolve_prefix(context, value), std::string(defs::local_name(value))};
}

pugi::xml_node first(pugi::xml_node parent, std::string_view ns, std::string_view local) {
  auto found = children(parent, ns, local);
  return found.empty() ? pugi::xml_node() : found.front();
}

struct object_type {
  pugi::xml_node sequence;  // of the extension; may be empty
  std::string name;
  std::string path;
};

// complexType X { complexContent { extension base="ens:sObject" { sequence } } }, X !=
// AggregateResult.
std::vector<object_type> sobject_types(pugi::xml_node types) {
  std::vector<object_type> found;
  auto schemas = children(types, xsd_ns, "schema");
  for (std::size_t s = 0; s < schemas.size(); ++s) {
    for (pugi::xml_node type : children(schemas[s], xsd_ns, "complexType")) {
      pugi::xml_node ext = first(first(type, xsd_ns, "complexContent"), xsd_ns, "extension");
      if (!ext) continue;
      qname base = resolve(ext, ext.attribute("base").value());
      std::string name = type.attribute("name").value();
      if (base.ns != sobject_ns || base.local != "sObject" || name == "AggregateResult") continue;
      std::string path = "definitions/types/schema[" + std::to_string(s + 1) +
                         "]/complexType[@name='" + name + "']/complexContent/extension/sequence";
      found.push_back({first(ext, xsd_ns, "sequence"), name, path});
    }
  }
  return found;
}

field_type type_of(pugi::xml_node element) {
  pugi::xml_attribute type = element.attribute("type");
  if (!type) return field_type::string;
  qname q = resolve(element, type.value());
  if (q.local == "ID") return field_type::id;  // ent:ID, or tns:ID in other renderings
  if (q.ns != xsd_ns) return field_type::string;
  for (field_type t : {field_type::boolean, field_type::integer, field_type::number,
                       field_type::date, field_type::datetime})
    if (q.local == to_string(t)) return t;
  return field_type::string;
}

std::vector<field> read_fields(const object_type& object, const std::string& file) {
  std::vector<field> fields;
  std::set<std::string> seen;
  auto elements = children(object.sequence, xsd_ns, "element");
  for (std::size_t i = 0; i < elements.size(); ++i) {
    std::string name = elements[i].attribute("name").value();
    std::string at = object.path + "/element[" + std::to_string(i + 1) + "]/@name";
    if (!defs::is_api_name(name))
      throw input_error(file, at, "a field API name, not \"" + shorten_value(name) + "\"");
    if (!seen.insert(name).second)
      throw input_error(file, at,
                        "a field not listed before (\"" + shorten_value(name) + "\" is repeated)");
    if (name != "Id") fields.push_back({name, type_of(elements[i])});
  }
  return fields;
}

// The complexType whose sObject element has the object's type: "AccountNotification".
std::string notification_type_name(pugi::xml_node types, const std::string& object) {
  for (pugi::xml_node schema : children(types, xsd_ns, "schema"))
    for (pugi::xml_node type : children(schema, xsd_ns, "complexType"))
      for (pugi::xml_node e : children(first(type, xsd_ns, "sequence"), xsd_ns, "element")) {
        qname q = resolve(e, e.attribute("type").value());
        if (std::string_view(e.attribute("name").value()) == "sObject" && q.ns == sobject_ns &&
            q.local == object && defs::is_api_name(type.attribute("name").value()))
          return type.attribute("name").value();
      }
  return object + "_Outbound";
}

std::string endpoint_of(pugi::xml_node root, const std::string& file) {
  for (pugi::xml_node service : children(root, wsdl_ns, "service"))
    for (pugi::xml_node port : children(service, wsdl_ns, "port"))
      for (std::string_view ns : {defs::wsdl_soap_ns, defs::wsdl_soap12_ns})
        if (pugi::xml_node address = first(port, ns, "address"))
          if (pugi::xml_attribute location = address.attribute("location")) return location.value();
  throw input_error(file, "definitions/service/port/soap:address/@location",
                    "the endpoint URL in the service's soap:address location");
}

}  // namespace

definition definition_from_wsdl(std::string_view xml, const std::string& file) {
  pugi::xml_document doc;
  defs::load_xml(doc, xml, file);
  pugi::xml_node root = doc.document_element();
  if (!defs::is_element(root, wsdl_ns, "definitions"))
    throw input_error(file, root.name(),
                      "a definitions root element in namespace " + std::string(wsdl_ns));
  pugi::xml_node types = first(root, wsdl_ns, "types");
  auto objects = sobject_types(types);
  if (objects.size() != 1) {
    std::string names;
    for (const auto& o : objects) names += (names.empty() ? "" : ", ") + o.name;
    throw input_error(file, "definitions/types/schema/complexType",
                      "exactly one complexType extending ens:sObject besides AggregateResult" +
                          (names.empty() ? std::string(", found none") : "; found " + names));
  }
  const object_type& object = objects.front();
  if (!defs::is_api_name(object.name))
    throw input_error(file, object.path,
                      "an object API name, not \"" + shorten_value(object.name) + "\"");
  definition d;
  d.object = object.name;
  d.fields = read_fields(object, file);
  d.full_name = notification_type_name(types, d.object);
  d.name = d.full_name;
  d.endpoint_url = endpoint_of(root, file);
  check_endpoint_url(d.endpoint_url, false, file,
                     "definitions/service/port/soap:address/@location");
  defs::complete_ids(d, file, "", "");
  return d;
}

}  // namespace outbound::soap
