// The bad-input battery, files: definitions of the three kinds, scenarios, fault plans, stores,
// captured envelopes and report.json files that are malformed, of the wrong types, missing fields,
// out of range or not what they should be. Each is exit 2 naming the file (and the field where
// there is one), and changes nothing (tests/cli/bad_input_battery.hpp).
#include <nlohmann/json.hpp>

#include "tests/cli/bad_input_battery.hpp"

namespace outbound::testing {
namespace {

using nlohmann::json;

const std::string invalid_utf8 = "\xff\xfe\xc3";
const std::string long_label(100000, 'a');

// `text` with its first `from` replaced by `to`; a case whose edit finds nothing would test
// nothing, so that fails.
std::string replaced(const std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no \"" << from << "\" to replace";
    return text;
  }
  return text.substr(0, at) + to + text.substr(at + from.size());
}

// JSON `text` with the value at `pointer` set (or added) to `value`.
std::string edited(const std::string& text, const std::string& pointer, const json& value) {
  json j = json::parse(text);
  j[json::json_pointer(pointer)] = value;
  return j.dump(2);
}

// JSON `text` without the member at `pointer`.
std::string removed(const std::string& text, const std::string& pointer) {
  json j = json::parse(text);
  const json::json_pointer p(pointer);
  j[p.parent_pointer()].erase(p.back());
  return j.dump(2);
}

std::string nested(std::size_t depth, const std::string& open, const std::string& close) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) s += open;
  for (std::size_t i = 0; i < depth; ++i) s += close;
  return s;
}

const std::string laughs =
    "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
    "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>";

std::vector<bad_input> definition_json_cases() {
  const std::string good = battery_fixtures::get().text("account.json");
  const std::string cmd = "wsdl --definition d.json";
  auto with = [&](std::string name, std::string text, std::vector<std::string> names) {
    names.insert(names.begin(), "d.json");
    return bad_input{"definition JSON: " + name, cmd, {{"d.json", text}}, names};
  };
  return {
      with("not JSON", "{oops", {}),
      with("empty", "", {}),
      with("an array", "[]", {}),
      with("null", "null", {}),
      with("no object", removed(good, "/object"), {"object"}),
      with("object a number", edited(good, "/object", 5), {"/object"}),
      with("object empty", edited(good, "/object", ""), {"/object"}),
      with("fields a string", edited(good, "/fields", "Name"), {"/fields"}),
      with("a field a number", edited(good, "/fields/0", 7), {"/fields/0"}),
      with("a field named \"\"", edited(good, "/fields/0", ""), {"/fields/0"}),
      with("a host with a %00", edited(good, "/endpoint_url", "http://a%00b.example/"),
           {"/endpoint_url"}),
      with("a field twice", edited(good, "/fields/1", "AccountNumber"), {"/fields"}),
      with("endpoint no URL", edited(good, "/endpoint_url", "not a url"), {"/endpoint_url"}),
      with("endpoint ftp", edited(good, "/endpoint_url", "ftp://x.example/"), {"/endpoint_url"}),
      with("endpoint with a NUL in the host",
           edited(good, "/endpoint_url", std::string("http://a\0b.example/", 19)),
           {"/endpoint_url"}),
      with("endpoint with a 100,000-character label",
           edited(good, "/endpoint_url", "http://" + long_label + ".example/"), {"/endpoint_url"}),
      with("api_version 1e999", replaced(good, "\"59.0\"", "1e999"), {}),
      with("invalid UTF-8 in the name", replaced(good, "Notify ERP", invalid_utf8), {}),
      with("an unknown key", edited(good, "/colour", "red"), {"colour"}),
      with("a misspelt key", removed(edited(good, "/feilds", json::array({"Name"})), "/fields"),
           {"feilds"}),
      with("include_session_id a string", edited(good, "/include_session_id", "yes"),
           {"/include_session_id"}),
      with("full_name with spaces", edited(good, "/full_name", "Notify ERP!"), {"/full_name"}),
      with("nested 100,000 deep", nested(100000, "[", "]"), {}),
      with("a huge integer", replaced(good, "\"59.0\"", "123456789012345678901234567890"), {}),
  };
}

std::vector<bad_input> wsdl_cases() {
  const std::string good = battery_fixtures::get().text("Account.wsdl");
  const std::string cmd = "wsdl --definition d.wsdl";
  auto with = [&](std::string name, std::string text, std::vector<std::string> names) {
    names.insert(names.begin(), "d.wsdl");
    return bad_input{"WSDL: " + name, cmd, {{"d.wsdl", text}}, names};
  };
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  return {
      with("empty", "", {}),
      with("not XML", "hello", {}),
      with("truncated", good.substr(0, good.size() / 2), {}),
      with("wrong root", decl + "<foo/>", {}),
      with("a DOCTYPE", replaced(good, decl, decl + "<!DOCTYPE definitions>"), {"DOCTYPE"}),
      with("billion laughs", laughs + "<definitions>&lol2;</definitions>", {}),
      with("invalid UTF-8", replaced(good, "Process a number", invalid_utf8), {}),
      with("two sObject types",
           replaced(good, "<complexType name=\"Account\">",
                    "<complexType name=\"Contact\"><complexContent><extension "
                    "base=\"ens:sObject\"><sequence/></extension></complexContent></complexType>"
                    "<complexType name=\"Account\">"),
           {"sObject"}),
      with("no soap:address", replaced(good, "soap:address", "soap:nowhere"), {"soap:address"}),
      with("an address that is no URL", replaced(good, "location=\"", "location=\"not a url"),
           {"location"}),
      with("nested 100,000 deep", decl + nested(100000, "<a>", "</a>"), {}),
  };
}

std::vector<bad_input> workflow_cases() {
  const std::string good = battery_fixtures::get().text("Account.workflow-meta.xml");
  auto with = [&](std::string name, std::string text, std::vector<std::string> names,
                  std::string file = "w/Account.workflow-meta.xml") {
    names.insert(names.begin(), file);
    return bad_input{"workflow: " + name, "wsdl --definition " + file, {{file, text}}, names};
  };
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  const std::string message =
      good.substr(good.find("<outboundMessages>"),
                  good.find("</outboundMessages>") - good.find("<outboundMessages>") + 19);
  return {
      with("empty", "", {}),
      with("not XML", "<Workflow", {}),
      with("truncated", good.substr(0, good.size() / 2), {}),
      with("wrong root", replaced(replaced(good, "<Workflow ", "<Flow "), "</Workflow>", "</Flow>"),
           {}),
      with("no outbound message", replaced(good, message, ""), {}),
      with("a field name with a space",
           replaced(good, "<fields>BillingCity</fields>", "<fields>Billing City</fields>"),
           {"Billing City"}),
      with("a DOCTYPE", replaced(good, decl, decl + "<!DOCTYPE Workflow>"), {"DOCTYPE"}),
      with("billion laughs", laughs + "<Workflow>&lol2;</Workflow>", {}),
      with("invalid UTF-8", replaced(good, "Sends the account", invalid_utf8), {}),
      with("endpoint no URL",
           replaced(good, "https://sap.example.com/sap/bc/srt/sfdc/account", "not a url"), {}),
      with("two messages without --message",
           replaced(good, message, message + replaced(message, "Notify_ERP", "Notify_CRM")),
           {"--message"}),
      with("includeSessionId maybe",
           replaced(good, "<includeSessionId>false", "<includeSessionId>maybe"),
           {"includeSessionId"}),
      with("no object in the file name", good, {}, "w/.workflow-meta.xml"),
      with("no fullName", replaced(good, "<fullName>Notify_ERP</fullName>", ""), {}),
      with("a host name of 100,000 characters",
           replaced(good, "sap.example.com", long_label + ".example"), {"endpointUrl"}),
  };
}

std::vector<bad_input> scenario_cases() {
  const std::string good = battery_fixtures::scenario_text();
  auto with = [&](std::string name, std::string text, std::vector<std::string> names) {
    names.insert(names.begin(), "s.json");
    return bad_input{"scenario: " + name, "run s.json --out o", {{"s.json", text}}, names};
  };
  auto changes = [&](json change) {
    return edited(good, "/definitions/0/workload/changes", json::array({change}));
  };
  auto faults = [&](json fault) {
    return edited(good, "/endpoints/0/faults", json::array({fault}));
  };
  const std::string change0 = "/definitions/0/workload/changes/0";
  return {
      with("not JSON", "{\"name\": ", {}),
      with("empty", "", {}),
      with("an array", "[]", {}),
      with("nested 100,000 deep", nested(100000, "{\"a\":", "}"), {}),
      with("a misspelt key", edited(good, "/durration", "1h"), {"durration", "duration"}),
      with("negative duration", edited(good, "/duration", "-5m"), {"/duration"}),
      with("duration 1e999s", edited(good, "/duration", "1e999s"), {"/duration"}),
      with("duration a number", edited(good, "/duration", 600), {"/duration"}),
      with("duration overflowing", edited(good, "/duration", "99999999999999999999h"),
           {"/duration"}),
      with("no name", removed(good, "/name"), {"name"}),
      with("a name with a slash", edited(good, "/name", "../escape"), {"/name"}),
      with("no endpoints", edited(good, "/endpoints", json::array()), {"/endpoints"}),
      with("no definitions", edited(good, "/definitions", json::array()), {"/definitions"}),
      with("a missing definition file", edited(good, "/definitions/0/file", "nope.json"),
           {"nope.json"}),
      bad_input{"scenario: a definition file that is /dev/zero",
                "run s.json --out o",
                {{"s.json", edited(good, "/definitions/0/file", "/dev/zero")}},
                {"/dev/zero"}},
      with("an unknown endpoint", edited(good, "/definitions/0/endpoint", "crm"),
           {"/definitions/0/endpoint"}),
      with("rate 1e300/s", changes({{"kind", "constant"}, {"rate", "1e300/s"}}), {change0}),
      with("rate -1/s", changes({{"kind", "constant"}, {"rate", "-1/s"}}), {change0}),
      with("rate 0.5/fortnight", changes({{"kind", "constant"}, {"rate", "0.5/fortnight"}}),
           {change0}),
      with("a change kind unknown", changes({{"kind", "wave"}, {"rate", "1/s"}}), {"wave"}),
      with("a burst after the end", changes({{"kind", "burst"}, {"at", "20m"}, {"count", 5}}),
           {change0}),
      with("a burst of -5", changes({{"kind", "burst"}, {"at", "1m"}, {"count", -5}}), {change0}),
      with("a ramp ending after the end",
           changes({{"kind", "ramp"}, {"rate_from", "1/s"}, {"rate_to", "2/s"}, {"until", "1h"}}),
           {change0}),
      with("a daily curve of 23 factors",
           changes({{"kind", "daily"}, {"peak", "10/h"}, {"curve", std::vector<int>(23, 1)}}),
           {change0}),
      with("a during check after the run",
           edited(good, "/expectations",
                  {{"during", json::array({{{"at", "1000h"}, {"status", {{"retrying", 0}}}}})}}),
           {"/expectations/during/0"}),
      with("an unknown expectation", edited(good, "/expectations", {{"delivred", 5}}),
           {"delivred"}),
      with("a fault window after the run", faults({{"kind", "refuse"}, {"after", "1000h"}}),
           {"/endpoints/0/faults/0"}),
      with("a fault window of 0s", faults({{"kind", "refuse"}, {"for", "0s"}}),
           {"/endpoints/0/faults/0"}),
      with("an unknown fault kind", faults({{"kind", "explode"}}), {"/endpoints/0/faults/0/kind"}),
      with("a TLS fault on a plain HTTP endpoint",
           edited(faults({{"kind", "tls_expired"}}), "/endpoints/0/https", false),
           {"/endpoints/0/faults/0/kind"}),
      with("garbage of 3e9 bytes", faults({{"kind", "garbage"}, {"bytes", 3000000000}}),
           {"/endpoints/0/faults/0/bytes"}),
      with("pareto scale 0s",
           faults({{"kind", "delay"}, {"distribution", "pareto"}, {"scale", "0s"}}),
           {"/endpoints/0/faults/0"}),
      with("an unknown clock", edited(good, "/clock", "sideways"), {"/clock"}),
      with("a negative seed", edited(good, "/seed", -1), {"/seed"}),
      with("a seed string", edited(good, "/seed", "abc"), {"/seed"}),
      with("a seed 1e999", replaced(good, "\"seed\": 3", "\"seed\": 1e999"), {}),
      with("a start that is no time", edited(good, "/start", "yesterday"), {"/start"}),
      with("batch size 0", edited(good, "/delivery", {{"batch_size", 0}}), {"batch_size"}),
      with("connections 0", edited(good, "/delivery", {{"connections", 0}}), {"connections"}),
      with("timeout 0s", edited(good, "/delivery", {{"timeout", "0s"}}), {"timeout"}),
      with("an unknown retry policy", edited(good, "/delivery", {{"retry", "bogus"}}), {"retry"}),
      with("invalid UTF-8 in the name", replaced(good, "tiny", invalid_utf8), {}),
      with("negative records", edited(good, "/definitions/0/workload/records", -1),
           {"/definitions/0/workload/records"}),
      with("a negative mix", edited(good, "/definitions/0/workload/mix", {{"updates", -1}}),
           {"mix"}),
      with("arrivals random", edited(good, "/definitions/0/workload/arrivals", "random"),
           {"arrivals"}),
      with("a path without slash", edited(good, "/endpoints/0/path", "erp"), {"/endpoints/0/path"}),
      with("two endpoints of one name",
           edited(good, "/endpoints/1", {{"name", "erp"}, {"path", "/x"}}), {"/endpoints/1"}),
      with("run_until before the end", edited(good, "/run_until", "5m"), {"run_until"}),
      with("a file and an inline definition",
           edited(good, "/definitions/0/definition",
                  json::parse(battery_fixtures::get().text("account.json"))),
           {"/definitions/0"}),
  };
}

std::vector<bad_input> fault_plan_cases() {
  auto with = [&](std::string name, std::string text, std::vector<std::string> names) {
    names.insert(names.begin(), "p.json");
    return bad_input{"fault plan: " + name,
                     "mock --listen 127.0.0.1:0 --faults p.json",
                     {{"p.json", text}},
                     names};
  };
  auto plan = [&](json fault) { return json{{"faults", json::array({fault})}}.dump(); };
  return {
      with("not JSON", "{faults", {}),
      with("empty", "", {}),
      with("a number", "5", {}),
      with("faults a number", "{\"faults\": 5}", {"/faults"}),
      with("nested 100,000 deep", nested(100000, "[", "]"), {}),
      with("an unknown kind", plan({{"kind", "explode"}}), {"/faults/0/kind"}),
      with("no kind", plan({{"status", 503}}), {"/faults/0"}),
      with("a misspelt key", plan({{"kind", "http_status"}, {"stauts", 503}}), {"stauts"}),
      with("status 999", plan({{"kind", "http_status"}, {"status", 999}}), {"/faults/0/status"}),
      with("status a string", plan({{"kind", "http_status"}, {"status", "503"}}),
           {"/faults/0/status"}),
      with("status 1e999", R"({"faults": [{"kind": "http_status", "status": 1e999}]})", {}),
      with("probability 2", plan({{"kind", "nack"}, {"probability", 2}}),
           {"/faults/0/probability"}),
      with("probability -0.1", plan({{"kind", "nack"}, {"probability", -0.1}}),
           {"/faults/0/probability"}),
      with("probability a word", plan({{"kind", "nack"}, {"probability", "half"}}),
           {"/faults/0/probability"}),
      with("after -1s", plan({{"kind", "nack"}, {"after", "-1s"}}), {"/faults/0/after"}),
      with("after 1e999s", plan({{"kind", "nack"}, {"after", "1e999s"}}), {"/faults/0/after"}),
      with("for 0s", plan({{"kind", "nack"}, {"for", "0s"}}), {"/faults/0/for"}),
      with("first -1", plan({{"kind", "nack"}, {"first", -1}}), {"/faults/0/first"}),
      with("every 0", plan({{"kind", "nack"}, {"every", 0}}), {"/faults/0/every"}),
      with("garbage of 3e9 bytes", plan({{"kind", "garbage"}, {"bytes", 3000000000}}),
           {"/faults/0/bytes"}),
      with("truncated at -5 bytes", plan({{"kind", "truncated_body"}, {"bytes", -5}}),
           {"/faults/0/bytes"}),
      with("pareto scale 0s",
           plan({{"kind", "delay"}, {"distribution", "pareto"}, {"scale", "0s"}}),
           {"/faults/0/scale"}),
      with("a delay without distribution", plan({{"kind", "delay"}}), {"/faults/0"}),
      with("a zipf delay", plan({{"kind", "delay"}, {"distribution", "zipf"}}),
           {"/faults/0/distribution"}),
      with("uniform min after max",
           plan({{"kind", "delay"}, {"distribution", "uniform"}, {"min", "5s"}, {"max", "1s"}}),
           {"/faults/0"}),
      with("normal stddev negative",
           plan({{"kind", "delay"}, {"distribution", "normal"}, {"mean", "1s"}, {"stddev", "-1s"}}),
           {"/faults/0/stddev"}),
      with("slow body without interval", plan({{"kind", "slow_body"}}), {"/faults/0"}),
      with("bandwidth 0", plan({{"kind", "bandwidth"}, {"bytes_per_second", 0}}),
           {"/faults/0/bytes_per_second"}),
      with("a stall held -1s", plan({{"kind", "stall"}, {"hold", "-1s"}}), {"/faults/0/hold"}),
      with("retry_after -1", plan({{"kind", "http_status"}, {"status", 503}, {"retry_after", -1}}),
           {"/faults/0/retry_after"}),
      with("invalid UTF-8 in a note",
           R"({"faults": [{"kind": "nack", "note": ")" + invalid_utf8 + "\"}]}", {}),
      with("a TLS fault without TLS", plan({{"kind", "tls_untrusted"}}), {"tls_untrusted"}),
      with("a reason with a newline",
           plan({{"kind", "http_status"}, {"status", 503}, {"reason", "a\r\nSet-Cookie: x"}}),
           {"/faults/0/reason"}),
      with("a content type with a NUL",
           plan({{"kind", "wrong_content_type"}, {"content_type", std::string("a\0b", 3)}}),
           {"/faults/0/content_type"}),
  };
}

// The bytes of a SQLite file made by `sql`, or of the good store changed by `sql`.
std::string sqlite_bytes(const std::string& sql, bool from_store) {
  const fs::path file = battery_fixtures::get().dir() / "made" / "edit.db";
  fs::create_directories(file.parent_path());
  fs::remove(file);
  if (from_store) fs::copy_file(battery_fixtures::get().store(), file);
  run_sql(file, sql);
  std::string bytes = text_of(file);
  fs::remove(file);
  return bytes;
}

std::vector<bad_input> store_cases() {
  const std::string good = text_of(battery_fixtures::get().store());
  // Pages 2 and 3 overwritten; the page size is the file header's big-endian 16 bits at 16.
  std::string damaged = good;
  const std::size_t page =
      (static_cast<unsigned char>(good.at(16)) << 8) | static_cast<unsigned char>(good.at(17));
  for (std::size_t i = page; i < damaged.size() && i < 3 * page; ++i) damaged[i] = '\xAB';
  const std::vector<std::pair<std::string, std::string>> stores = {
      {"a foreign SQLite file",
       sqlite_bytes("CREATE TABLE orders(id INTEGER, total REAL);", false)},
      {"a SQLite file of another application id",
       sqlite_bytes("PRAGMA application_id = 42; CREATE TABLE meta(key TEXT, value INTEGER);",
                    false)},
      {"a store of a newer schema",
       sqlite_bytes("UPDATE meta SET value = 99 WHERE key = 'schema_version';", true)},
      {"a truncated store", good.substr(0, 3000)},
      {"a damaged store", damaged},
      {"a text file", "hello, I am not a database\n"},
      {"an empty SQLite database", sqlite_bytes("PRAGMA user_version = 0; VACUUM;", false)},
  };
  const std::vector<std::string> commands = {
      "status --store x.db",
      "status --json --store x.db",
      "definitions --store x.db",
      "retry --failed --store x.db",
      "delete 04l5g0000000001AAA --store x.db",
      "send --store x.db --endpoint http://127.0.0.1:9999/ --for 0s"};
  std::vector<bad_input> cases;
  for (const auto& [name, bytes] : stores)
    for (const auto& command : commands)
      cases.push_back({"store: " + name + ": " + command, command, {{"x.db", bytes}}, {"x.db"}});
  // A store the sender would create next to a refused definition must not be left behind.
  for (const auto& [name, bytes] : stores)
    if (name != "an empty SQLite database")
      cases.push_back({"store: " + name + ": send --definition",
                       "send --definition account.json --store x.db --for 0s",
                       {{"x.db", bytes}},
                       {"x.db"}});
  for (const char* command : {"status", "definitions", "retry --failed", "send"})
    cases.push_back({std::string("store: a folder: ") + command,
                     std::string(command) + " --store d.db",
                     {{"d.db/x", ""}},
                     {"d.db"}});
  return cases;
}

std::vector<bad_input> envelope_cases() {
  const std::string good = battery_fixtures::get().text("envelope.xml");
  auto with = [&](std::string name, std::string text, std::vector<std::string> names) {
    names.insert(names.begin(), "e.xml");
    return bad_input{"envelope: " + name, "parse e.xml", {{"e.xml", text}}, names};
  };
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  const std::string body_open = good.substr(good.find("<soapenv:Body>"));
  return {
      with("empty", "", {}),
      with("not XML", "hello", {}),
      with("truncated", good.substr(0, good.size() / 2), {}),
      with("wrong root", decl + "<foo/>", {}),
      with("a DOCTYPE", laughs + good.substr(good.find("<soapenv:Envelope")), {"DOCTYPE"}),
      with("a DOCTYPE without entities",
           "<!DOCTYPE x>" + good.substr(good.find("<soapenv:Envelope")), {"DOCTYPE"}),
      with("SOAP 1.2",
           replaced(good, "http://schemas.xmlsoap.org/soap/envelope/",
                    "http://www.w3.org/2003/05/soap-envelope"),
           {}),
      with("no Body", replaced(replaced(good, "<soapenv:Body>", ""), "</soapenv:Body>", ""), {}),
      with("no notifications",
           replaced(replaced(good, "<notifications", "<other"), "</notifications>", "</other>"),
           {"notifications"}),
      with("a notification without Id",
           [&] {
             std::string t = good;
             const auto at = t.find("<Id>");
             t.erase(at, t.find("</Id>", at) + 5 - at);
             return t;
           }(),
           {}),
      with("an sObject type of another namespace",
           replaced(good, "xsi:type=\"sf:Account\"", "xsi:type=\"xsd:Account\""), {"xsi:type"}),
      with("invalid UTF-8", replaced(good, "<Id>", "<Id>" + invalid_utf8), {}),
      with("nested 100,000 deep",
           replaced(good, "</sObject>", nested(100000, "<sf:x>", "</sf:x>") + "</sObject>"), {}),
      with("a 10 MB Id", replaced(good, "<Id>", "<Id>" + std::string(10u << 20, 'v')), {"Id"}),
      with("101 notifications",
           [&] {
             const auto from = good.find("<Notification>");
             const auto to = good.find("</Notification>") + 15;
             std::string many;
             for (int i = 0; i < 101; ++i) many += good.substr(from, to - from);
             return good.substr(0, from) + many + good.substr(good.rfind("</Notification>") + 15);
           }(),
           {}),
      with("text after the envelope", good + "<more/>", {}),
  };
}

// A load threshold and a load shard as report.json holds them.
json threshold(const std::string& text) {
  return {{"threshold", text}, {"passed", true},         {"measured", "1ms"},
          {"limit", "< 1s"},   {"measured_value", 1000}, {"limit_value", 1e6}};
}
json shard(int index, int count) {
  return {{"index", index},
          {"count", count},
          {"host", "pod"},
          {"rate_per_second", 10},
          {"duration_us", 1000000},
          {"seed", 1},
          {"start_at", nullptr},
          {"start", "2026-01-05T09:00:00.000000Z"},
          {"end", "2026-01-05T09:00:01.000000Z"},
          {"messages_scheduled", 10},
          {"messages_sent", 10},
          {"messages_answered", 10},
          {"parameters", json::object()}};
}

std::vector<bad_input> report_cases() {
  const std::string good = text_of(battery_fixtures::get().report());
  auto with = [&](std::string name, std::string text, std::vector<std::string> names) {
    names.insert(names.begin(), "r.json");
    return bad_input{"report: " + name, "report render r.json --out o", {{"r.json", text}}, names};
  };
  return {
      with("not JSON", "{", {}),
      with("empty", "", {}),
      with("an array", "[]", {}),
      with("no metrics", removed(good, "/metrics"), {"metrics"}),
      with("format version 99", edited(good, "/format_version", 99), {"/format_version"}),
      with("format version 1e999",
           replaced(good, "\"format_version\": 1", "\"format_version\": 1e999"), {}),
      with("kind unknown", edited(good, "/kind", "race"), {"/kind"}),
      with("seed negative", edited(good, "/seed", -1), {"/seed"}),
      with("a start that is no time", edited(good, "/started", "noon"), {"/started"}),
      with("invalid UTF-8 in the name", replaced(good, "\"tiny\"", "\"" + invalid_utf8 + "\""), {}),
      with("metrics a string", edited(good, "/metrics", "many"), {"/metrics"}),
      with("checks an object", edited(good, "/checks", json::object()), {"/checks"}),
      with("status missing", removed(good, "/status"), {"status"}),
      with("nested 100,000 deep", nested(100000, "[", "]"), {}),
      with("thresholds a string", edited(good, "/thresholds", "p99<1s"), {"/thresholds"}),
      with("a threshold that does not parse",
           edited(good, "/thresholds", json::array({threshold("p99<soon")})),
           {"/thresholds/0/threshold", "after \"p99<\" (got \"soon\")"}),
      with("a threshold without its limit", edited(good, "/thresholds", json::array({[] {
                                                     auto t = threshold("p99<1s");
                                                     t.erase("limit_value");
                                                     return t;
                                                   }()})),
           {"/thresholds/0/limit_value"}),
      with("shard 5 of 4", edited(good, "/shards", json::array({shard(5, 4)})),
           {"/shards/0/index"}),
      with("a shard of 0", edited(good, "/shards", json::array({shard(0, 0)})),
           {"/shards/0/count"}),
      bad_input{"report: merge of one shard twice",
                "report merge r.json r.json --out o",
                {{"r.json",
                  edited(edited(good, "/kind", "load"), "/shards", json::array({shard(1, 2)}))}},
                {"r.json", "/shards/0", "shard 1/2"}},
      bad_input{"report: merge of shards of two tests",
                "report merge r.json s.json --out o",
                {{"r.json", edited(good, "/shards", json::array({shard(1, 2)}))},
                 {"s.json", edited(good, "/shards", json::array({shard(2, 3)}))}},
                {"s.json", "/shards/0", "K/2"}},
      bad_input{"report: merge of a good and a bad report",
                "report merge report.json r.json --out o",
                {{"r.json", edited(good, "/kind", "race")}},
                {"r.json", "/kind"}},
  };
}

TEST(bad_input_battery, definition_files) {
  auto cases = definition_json_cases();
  for (auto& c : wsdl_cases()) cases.push_back(c);
  for (auto& c : workflow_cases()) cases.push_back(c);
  run_battery(cases);
}

TEST(bad_input_battery, scenarios) {
  run_battery(scenario_cases());
}
TEST(bad_input_battery, fault_plans) {
  run_battery(fault_plan_cases());
}
TEST(bad_input_battery, stores) {
  run_battery(store_cases());
}
TEST(bad_input_battery, envelopes) {
  run_battery(envelope_cases());
}
TEST(bad_input_battery, reports) {
  run_battery(report_cases());
}

}  // namespace
}  // namespace outbound::testing
