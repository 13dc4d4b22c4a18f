#pragma once
// Test helper: validates an envelope's `notifications` element against the schemas of a WSDL with
// `xmllint --schema` (which cannot read a WSDL: the three <schema> elements are written out as .xsd
// files first, imports pointed at each other). scripts/validate-envelope does the same from a
// shell.
//   auto r = validate_envelope(wsdl_text, write_envelope(m));
//   EXPECT_TRUE(r.ok) << r.output;

#include <filesystem>
#include <string>
#include <string_view>

namespace outbound::soap::testing {

// Writes each <schema> of the WSDL's <types> to dir/schema_N.xsd with the namespace declarations
// in scope copied onto it and each <import namespace=X/> given the schemaLocation of X's file.
// Returns the file of the schema whose targetNamespace is the outbound namespace.
std::filesystem::path extract_schemas(std::string_view wsdl, const std::filesystem::path& dir);

// The envelope's notifications element as a document of its own, with the namespace declarations
// in scope (soapenv, xsd, xsi, ...) copied onto it. Empty when the envelope has none.
std::string notifications_document(std::string_view envelope);

struct validation {
  bool ok = false;
  std::string output;  // xmllint's messages, or why validation could not run
};
validation validate_envelope(std::string_view wsdl, std::string_view envelope);

}  // namespace outbound::soap::testing
