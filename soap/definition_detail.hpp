#pragma once
// Helpers shared by the three definition loaders and the WSDL writer (internal to soap/):
// name checks, field type tables, derived ids and namespace-aware pugixml look-ups.
//   if (!is_api_name(name)) throw input_error(file, path, "an API name such as Billing_City__c");
//   std::string ns = namespace_of(node);   // by URI, whatever prefix the document uses

#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "soap/definition.hpp"
#include "soap/xml_escape.hpp"

namespace outbound::soap::defs {

inline constexpr std::string_view metadata_ns = "http://soap.sforce.com/2006/04/metadata";
inline constexpr std::string_view wsdl_ns = "http://schemas.xmlsoap.org/wsdl/";
inline constexpr std::string_view wsdl_soap_ns = "http://schemas.xmlsoap.org/wsdl/soap/";
inline constexpr std::string_view wsdl_soap12_ns = "http://schemas.xmlsoap.org/wsdl/soap12/";

// Salesforce API names (objects, fields, messages): a letter, then letters, digits and underscores.
// They become XML element names, so nothing else may pass: the envelope writer's own check.
using detail::is_api_name;

// "string", "ID", ... as written by to_string(field_type); nullopt for anything else.
std::optional<field_type> field_type_from_string(std::string_view s);
// The type of a well-known standard field, for sources (workflow XML) that carry no types.
field_type guess_field_type(std::string_view field_name);
// Salesforce's WSDL order: case-insensitive alphabetical, ties broken by byte order.
void sort_fields_like_salesforce(std::vector<field>& fields);

// Fills organization_id and action_id when empty (derived from full_name), else checks them and
// stores them as 18 characters. `path` is the JSON pointer (or element path) of the definition.
void complete_ids(definition& d, const std::string& file, const std::string& org_path,
                  const std::string& action_path);

// Parses a workflow file or WSDL into `doc`; throws input_error naming `file` when it is not
// well-formed XML or holds a DTD (DOCTYPE), which no Salesforce file has and which the SOAP
// parser refuses too.
void load_xml(pugi::xml_document& doc, std::string_view xml, const std::string& file);

// Namespace-aware look-ups: the URI an element's (or a QName's) prefix is bound to.
std::string_view local_name(std::string_view qname);
std::string namespace_of(pugi::xml_node element);
std::string resolve_prefix(pugi::xml_node context, std::string_view qname);
bool is_element(pugi::xml_node node, std::string_view ns, std::string_view local);
std::vector<pugi::xml_node> children(pugi::xml_node parent, std::string_view ns,
                                     std::string_view local);

}  // namespace outbound::soap::defs
