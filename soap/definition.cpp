// load_definition: reads a definition file and picks its loader by content, not by extension.
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "common/input_error.hpp"
#include "common/input_file.hpp"
#include "common/json_text.hpp"
#include "soap/definition.hpp"
#include "soap/definition_detail.hpp"

namespace outbound::soap {
namespace {

constexpr std::string_view formats =
    "a definition: the project's JSON, a Salesforce <Object>.workflow-meta.xml or an outbound "
    "message WSDL";

}  // namespace

definition load_definition(const std::filesystem::path& file, std::string_view message) {
  std::string name = file.string();
  std::string text = read_input_file(file, "a definition file");
  // Whitespace and a UTF-8 byte order mark may come before the first character.
  auto start = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (start != std::string::npos && text[start] == '{') {
    const nlohmann::json j = parse_json(text, name);
    return read_json_guarded(name, [&] { return definition_from_json(j, name); });
  }
  if (start == std::string::npos || text[start] != '<')
    throw input_error(name, "", std::string(formats));
  pugi::xml_document doc;
  defs::load_xml(doc, text, name);
  pugi::xml_node root = doc.document_element();
  if (defs::is_element(root, defs::metadata_ns, "Workflow"))
    return definition_from_workflow_xml(text, name, message);
  if (defs::is_element(root, defs::wsdl_ns, "definitions")) return definition_from_wsdl(text, name);
  throw input_error(name, root.name(),
                    std::string(formats) + " (root element Workflow or wsdl:definitions)");
}

}  // namespace outbound::soap
