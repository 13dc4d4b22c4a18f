// Splits a WSDL's inline schemas into files, since xmllint validates against schema files, not
// WSDLs.
#include <pugixml.hpp>

#include <map>
#include <sstream>

#include "common/input_error.hpp"
#include "soap/definition_detail.hpp"
#include "soap/envelope.hpp"
#include "soap/wsdl.hpp"

namespace outbound::soap {
namespace {

// A copy of `schema` that declares every namespace prefix in scope at it in the WSDL.
void copy_schema(pugi::xml_node schema, pugi::xml_document& out) {
  pugi::xml_node copy = out.append_copy(schema);
  for (pugi::xml_node n = schema.parent(); n && n.type() == pugi::node_element; n = n.parent())
    for (pugi::xml_attribute a : n.attributes()) {
      std::string_view name = a.name();
      if ((name == "xmlns" || name.starts_with("xmlns:")) && !copy.attribute(a.name()))
        copy.append_attribute(a.name()) = a.value();
    }
}

std::string text_of(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "    ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

// SOAP 1.1's Envelope, reduced to what a request needs: an optional Header, and a Body whose
// element must be declared by the imported schemas (strict), so the whole request is checked.
std::string envelope_schema(const std::map<std::string, std::string>& files) {
  std::string out = R"(<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
            targetNamespace=")" +
                    std::string(soapenv_ns) + R"(">
)";
  for (const auto& [ns, name] : files)
    out += "    <xsd:import namespace=\"" + ns + "\" schemaLocation=\"" + name + "\"/>\n";
  out += R"(    <xsd:element name="Envelope">
        <xsd:complexType>
            <xsd:sequence>
                <xsd:element name="Header" minOccurs="0">
                    <xsd:complexType>
                        <xsd:sequence>
                            <xsd:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
                        </xsd:sequence>
                        <xsd:anyAttribute namespace="##other" processContents="lax"/>
                    </xsd:complexType>
                </xsd:element>
                <xsd:element name="Body">
                    <xsd:complexType>
                        <xsd:sequence>
                            <xsd:any namespace="##other" processContents="strict" maxOccurs="unbounded"/>
                        </xsd:sequence>
                        <xsd:anyAttribute namespace="##other" processContents="lax"/>
                    </xsd:complexType>
                </xsd:element>
            </xsd:sequence>
            <xsd:anyAttribute namespace="##other" processContents="lax"/>
        </xsd:complexType>
    </xsd:element>
</xsd:schema>
)";
  return out;
}

}  // namespace

std::vector<schema_file> wsdl_schemas(std::string_view wsdl, const std::string& file) {
  pugi::xml_document doc;
  if (pugi::xml_parse_result ok = doc.load_buffer(wsdl.data(), wsdl.size()); !ok)
    throw input_error(file, "", std::string("well-formed XML (") + ok.description() + ")");
  pugi::xml_node root = doc.document_element();
  if (!defs::is_element(root, defs::wsdl_ns, "definitions"))
    throw input_error(file, root.name(), "a WSDL definitions root element");
  std::vector<pugi::xml_node> schemas;
  for (pugi::xml_node types : defs::children(root, defs::wsdl_ns, "types"))
    for (pugi::xml_node schema : defs::children(types, xsd_ns, "schema")) schemas.push_back(schema);
  if (schemas.empty()) throw input_error(file, "definitions/types/schema", "at least one schema");

  std::map<std::string, std::string> file_of;  // target namespace -> file name
  for (std::size_t i = 0; i < schemas.size(); ++i)
    file_of.emplace(schemas[i].attribute("targetNamespace").value(),
                    "schema" + std::to_string(i + 1) + ".xsd");
  std::vector<schema_file> out{{"envelope.xsd", envelope_schema(file_of)}};
  for (std::size_t i = 0; i < schemas.size(); ++i) {
    pugi::xml_document one;
    copy_schema(schemas[i], one);
    for (pugi::xml_node import : defs::children(one.document_element(), xsd_ns, "import")) {
      auto found = file_of.find(import.attribute("namespace").value());
      if (found != file_of.end() && !import.attribute("schemaLocation"))
        import.append_attribute("schemaLocation") = found->second.c_str();
    }
    out.push_back({"schema" + std::to_string(i + 1) + ".xsd", text_of(one)});
  }
  return out;
}

}  // namespace outbound::soap
