#pragma once
// An outbound message definition (Salesforce's WorkflowOutboundMessage) and its three sources:
// the project's JSON, a retrieved *.workflow-meta.xml, and a Salesforce-generated outbound WSDL.
//   definition d = load_definition("Account.workflow-meta.xml");          // picks the only message
//   definition e = load_definition("Account.workflow-meta.xml", "Notify_ERP");
// Every loader throws outbound::input_error naming the file, the field and what was expected.

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace outbound::soap {

// The types Salesforce WSDLs give fields; anything else is read as string.
enum class field_type { string, id, boolean, integer, number, date, datetime };

std::string_view to_string(field_type t);  // "string", "ID", "boolean", "int", "double", ...
std::string_view xsd_type(field_type t);   // "xsd:string", "ent:ID", "xsd:boolean", ...

struct field {
  std::string name;
  field_type type = field_type::string;
  friend bool operator==(const field&, const field&) = default;
};

struct definition {
  std::string full_name;  // API name, e.g. "Notify_ERP"
  std::string name;       // label, e.g. "Notify ERP"
  std::string description;
  std::string object;  // sObject type, e.g. "Account"
  // In the WSDL's sequence order; "Id" is not listed: it is always sent first.
  std::vector<field> fields;
  std::string endpoint_url;
  bool include_session_id = false;
  bool use_dead_letter_queue = false;
  std::string api_version = "59.0";
  std::string integration_user;
  std::string organization_id;  // 18 characters, prefix 00D
  std::string action_id;        // 18 characters, prefix 04k
  friend bool operator==(const definition&, const definition&) = default;
};

// Reads any of the three sources, by content (JSON, <Workflow>, <definitions>). `message` picks
// one outboundMessages/fullName of a workflow file holding several; ignored for other sources.
definition load_definition(const std::filesystem::path& file, std::string_view message = {});

// The project's JSON form, also used inline in scenario files; `path` is the JSON pointer of `j`
// inside `file`, used in error messages ("/definitions/0/fields/2").
definition definition_from_json(const nlohmann::json& j, const std::string& file,
                                const std::string& path = "");
nlohmann::json to_json(const definition& d);

definition definition_from_workflow_xml(std::string_view xml, const std::string& file,
                                        std::string_view message = {});
definition definition_from_wsdl(std::string_view xml, const std::string& file);

// Salesforce's rules for endpoint URLs: http on 80 or 1024-66535, https on 443 or 1024-66535,
// a session id only over https. Throws input_error(file, path, ...) otherwise.
void check_endpoint_url(const std::string& url, bool include_session_id, const std::string& file,
                        const std::string& path);

}  // namespace outbound::soap
