#pragma once
// A WSDL of the same structure as the one Salesforce generates for an outbound message
// (see shared/reference/salesforce/Account.wsdl), for any definition; and the XML Schemas inside
// any such WSDL as files that xmllint can validate a whole request with.
//   std::string wsdl = write_wsdl(load_definition("Account.workflow-meta.xml"));
//   for (auto& s : wsdl_schemas(wsdl)) save(dir / s.file_name, s.text);  // then:
//   xmllint --noout --schema dir/envelope.xsd request.xml

#include <string>
#include <string_view>
#include <vector>

#include "soap/definition.hpp"

namespace outbound::soap {

std::string write_wsdl(const definition& d);

struct schema_file {
  std::string file_name;  // "envelope.xsd" first, then "schema1.xsd", ... that it imports
  std::string text;
};

// The WSDL's types/schema elements as standalone files (namespace declarations in scope copied in,
// imports given schemaLocation), plus envelope.xsd: a SOAP 1.1 Envelope whose Body must hold an
// element those schemas declare. Throws input_error(file, ...) when `wsdl` is not a WSDL.
std::vector<schema_file> wsdl_schemas(std::string_view wsdl, const std::string& file = "wsdl");

}  // namespace outbound::soap
