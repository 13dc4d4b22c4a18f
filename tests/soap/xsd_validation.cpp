// xmllint-based schema validation for the tests (see xsd_validation.hpp).
#include "tests/soap/xsd_validation.hpp"

#include <unistd.h>
#include <pugixml.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace outbound::soap::testing {
namespace {

namespace fs = std::filesystem;

std::string_view local_name(const char* name) {
  std::string_view n(name);
  const auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child_named(pugi::xml_node parent, std::string_view local) {
  for (auto c : parent.children())
    if (c.type() == pugi::node_element && local_name(c.name()) == local) return c;
  return {};
}

// Copies onto `copy` every xmlns declaration in scope at `original` that `copy` lacks.
void copy_namespaces_in_scope(pugi::xml_node original, pugi::xml_node copy) {
  for (auto e = original; e && e.type() == pugi::node_element; e = e.parent())
    for (auto a : e.attributes()) {
      const std::string_view name = a.name();
      if (name.substr(0, 5) != "xmlns" || (name.size() > 5 && name[5] != ':')) continue;
      if (!copy.attribute(a.name())) copy.append_attribute(a.name()) = a.value();
    }
}

std::string to_text(const pugi::xml_document& doc) {
  std::ostringstream s;
  doc.save(s, "", pugi::format_raw);
  return s.str();
}

void write_text(const fs::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir() {
  static std::atomic<int> counter{0};
  const auto dir = fs::temp_directory_path() /
                   ("outbound-xsd-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

fs::path extract_schemas(std::string_view wsdl, const fs::path& dir) {
  pugi::xml_document doc;
  if (!doc.load_buffer(wsdl.data(), wsdl.size())) return {};
  const auto types = child_named(doc.document_element(), "types");
  std::map<std::string, std::string> file_of;  // targetNamespace -> file name
  std::vector<pugi::xml_node> schemas;
  for (auto s : types.children())
    if (s.type() == pugi::node_element && local_name(s.name()) == "schema") {
      file_of[s.attribute("targetNamespace").value()] =
          "schema_" + std::to_string(schemas.size()) + ".xsd";
      schemas.push_back(s);
    }
  fs::path outbound;
  for (const auto& s : schemas) {
    pugi::xml_document out;
    auto copy = out.append_copy(s);
    copy_namespaces_in_scope(s, copy);
    for (auto c : copy.children())
      if (c.type() == pugi::node_element && local_name(c.name()) == "import") {
        const auto location = file_of.find(c.attribute("namespace").value());
        if (location != file_of.end() && !c.attribute("schemaLocation"))
          c.append_attribute("schemaLocation") = location->second.c_str();
      }
    const std::string target = s.attribute("targetNamespace").value();
    write_text(dir / file_of[target], to_text(out));
    if (target == "http://soap.sforce.com/2005/09/outbound") outbound = dir / file_of[target];
  }
  return outbound;
}

std::string notifications_document(std::string_view envelope) {
  pugi::xml_document doc;
  if (!doc.load_buffer(envelope.data(), envelope.size())) return {};
  const auto body = child_named(doc.document_element(), "Body");
  pugi::xml_node notifications;
  for (auto c : body.children())
    if (c.type() == pugi::node_element) {
      notifications = c;
      break;
    }
  if (!notifications) return {};
  pugi::xml_document out;
  copy_namespaces_in_scope(notifications, out.append_copy(notifications));
  return to_text(out);
}

validation validate_envelope(std::string_view wsdl, std::string_view envelope) {
  const auto dir = fresh_dir();
  const auto schema = extract_schemas(wsdl, dir);
  if (schema.empty()) return {false, "no schema for http://soap.sforce.com/2005/09/outbound"};
  const auto document = notifications_document(envelope);
  if (document.empty()) return {false, "no notifications element in the envelope"};
  write_text(dir / "notifications.xml", document);
  const std::string command = "xmllint --noout --nonet --schema '" + schema.string() + "' '" +
                              (dir / "notifications.xml").string() + "' > '" +
                              (dir / "xmllint.out").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  validation v{status == 0, read_text(dir / "xmllint.out")};
  if (v.ok)
    fs::remove_all(dir);  // kept on failure, for a look
  else
    v.output += "(files in " + dir.string() + ")";
  return v;
}

}  // namespace outbound::soap::testing
