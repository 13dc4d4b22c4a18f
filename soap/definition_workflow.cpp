// Definitions from a retrieved <Object>.workflow-meta.xml (Metadata API "Workflow").
#include <pugixml.hpp>

#include <filesystem>
#include <set>

#include "common/input_error.hpp"
#include "soap/definition.hpp"
#include "soap/definition_detail.hpp"

namespace outbound::soap {
namespace {

using defs::metadata_ns;

// The file name is the only place a workflow file names its object.
std::string object_from_file_name(const std::string& file) {
  std::string name = std::filesystem::path(file).filename().string();
  for (std::string_view suffix : {".workflow-meta.xml", ".workflow"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      std::string object = name.substr(0, name.size() - suffix.size());
      if (defs::is_api_name(object)) return object;
    }
  }
  throw input_error(file, "",
                    "a file name of the form <Object>.workflow-meta.xml (such as "
                    "Account.workflow-meta.xml), because a workflow file names its object only "
                    "there");
}

// Element text without the indentation a hand-edited file may put around it.
std::string trimmed_text(pugi::xml_node node) {
  std::string_view text = node.text().get();
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

struct message_reader {
  pugi::xml_node node;
  std::string path;  // "Workflow/outboundMessages[2]"
  const std::string& file;

  pugi::xml_node child(std::string_view name) const {
    auto found = defs::children(node, metadata_ns, name);
    return found.empty() ? pugi::xml_node() : found.front();
  }
  std::string text(std::string_view name, bool required, std::string_view what) const {
    pugi::xml_node c = child(name);
    if (!c && required) throw input_error(file, path + "/" + std::string(name), std::string(what));
    return trimmed_text(c);
  }
  bool flag(std::string_view name) const {
    pugi::xml_node c = child(name);
    if (!c) return false;
    std::string v = trimmed_text(c);
    if (v != "true" && v != "false")
      throw input_error(file, path + "/" + std::string(name),
                        "true or false, not \"" + shorten_value(v) + "\"");
    return v == "true";
  }
};

std::vector<field> read_fields(const message_reader& m) {
  std::vector<field> fields;
  std::set<std::string> seen;
  auto nodes = defs::children(m.node, metadata_ns, "fields");
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    std::string name = trimmed_text(nodes[i]);
    std::string at = m.path + "/fields[" + std::to_string(i + 1) + "]";
    if (!defs::is_api_name(name))
      throw input_error(m.file, at, "a field API name, not \"" + shorten_value(name) + "\"");
    if (!seen.insert(name).second)
      throw input_error(m.file, at,
                        "a field not listed before (\"" + shorten_value(name) + "\" is repeated)");
    if (name != "Id") fields.push_back({name, defs::guess_field_type(name)});
  }
  defs::sort_fields_like_salesforce(fields);
  return fields;
}

definition read_message(const message_reader& m, std::string object) {
  definition d;
  d.object = std::move(object);
  d.full_name = m.text("fullName", true, "the message's API name (fullName)");
  if (!defs::is_api_name(d.full_name))
    throw input_error(m.file, m.path + "/fullName",
                      "an API name, not \"" + shorten_value(d.full_name) + "\"");
  d.name = m.child("name") ? m.text("name", false, "") : d.full_name;
  d.description = m.text("description", false, "");
  d.endpoint_url = m.text("endpointUrl", true, "the listener's URL (endpointUrl)");
  d.include_session_id = m.flag("includeSessionId");
  d.use_dead_letter_queue = m.flag("useDeadLetterQueue");
  if (m.child("apiVersion")) d.api_version = m.text("apiVersion", false, "");
  d.integration_user = m.text("integrationUser", false, "");
  d.fields = read_fields(m);
  check_endpoint_url(d.endpoint_url, d.include_session_id, m.file, m.path + "/endpointUrl");
  // The metadata carries no ids: they are the org's, so they are derived.
  defs::complete_ids(d, m.file, m.path, m.path);
  return d;
}

std::string names_of(const std::vector<message_reader>& messages) {
  std::string list;
  for (const auto& m : messages)
    list += (list.empty() ? "" : ", ") +
            std::string(m.text("fullName", true, "the message's API name (fullName)"));
  return list;
}

}  // namespace

definition definition_from_workflow_xml(std::string_view xml, const std::string& file,
                                        std::string_view message) {
  pugi::xml_document doc;
  defs::load_xml(doc, xml, file);
  pugi::xml_node root = doc.document_element();
  if (!defs::is_element(root, metadata_ns, "Workflow"))
    throw input_error(file, root.name(),
                      "a Workflow root element in namespace " + std::string(metadata_ns));
  std::string object = object_from_file_name(file);
  std::vector<message_reader> messages;
  auto nodes = defs::children(root, metadata_ns, "outboundMessages");
  for (std::size_t i = 0; i < nodes.size(); ++i)
    messages.push_back(
        {nodes[i], "Workflow/outboundMessages[" + std::to_string(i + 1) + "]", file});
  if (messages.empty())
    throw input_error(file, "Workflow/outboundMessages", "at least one outbound message");
  if (message.empty()) {
    if (messages.size() == 1) return read_message(messages.front(), object);
    throw input_error(
        file, "Workflow/outboundMessages",
        "a message chosen by name (--message), as the file holds several: " + names_of(messages));
  }
  for (const auto& m : messages)
    if (m.text("fullName", true, "the message's API name (fullName)") == message)
      return read_message(m, object);
  throw input_error(
      file, "Workflow/outboundMessages",
      "a message named \"" + std::string(message) + "\"; the file holds: " + names_of(messages));
}

}  // namespace outbound::soap
