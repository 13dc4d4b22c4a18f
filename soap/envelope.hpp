#pragma once
// The outbound SOAP request, byte for byte as Salesforce sends it, and a parser for any SOAP
// stack's rendering of it (namespaces matched by URI, not prefix).
//   std::string body = write_envelope(msg);
//   expected<message> m = parse_envelope(body);   // m.error() says precisely what was wrong

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/expected.hpp"

namespace outbound::soap {

inline constexpr std::size_t max_notifications = 100;

inline constexpr std::string_view soapenv_ns = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view outbound_ns = "http://soap.sforce.com/2005/09/outbound";
inline constexpr std::string_view sobject_ns = "urn:sobject.enterprise.soap.sforce.com";
inline constexpr std::string_view enterprise_ns = "urn:enterprise.soap.sforce.com";
inline constexpr std::string_view xsi_ns = "http://www.w3.org/2001/XMLSchema-instance";
inline constexpr std::string_view xsd_ns = "http://www.w3.org/2001/XMLSchema";

struct field_value {
  std::string name;
  std::optional<std::string> value;  // nullopt is sent as xsi:nil="true"
  friend bool operator==(const field_value&, const field_value&) = default;
};

struct sobject {
  std::string type;                 // "Account"
  std::string id;                   // the record id, sent first as sf:Id
  std::vector<field_value> fields;  // without Id; empty for a deleted record
  friend bool operator==(const sobject&, const sobject&) = default;
};

struct notification {
  std::string id;  // the notification id (04l...), stable across retries
  sobject object;
  friend bool operator==(const notification&, const notification&) = default;
};

struct message_header {
  std::string organization_id;
  std::string action_id;
  std::optional<std::string> session_id;  // nullopt is sent as xsi:nil="true"
  std::string enterprise_url;
  std::string partner_url;
  friend bool operator==(const message_header&, const message_header&) = default;
};

struct message {
  message_header header;
  std::vector<notification> notifications;  // 1..100
  friend bool operator==(const message&, const message&) = default;
};

// A field as the streaming writer takes it: views into the caller's data, nothing copied.
struct field_view {
  std::string_view name;
  std::optional<std::string_view> value;  // nullopt is sent as xsi:nil="true"
};

// Writes an envelope one notification at a time into `out`, for callers whose data is not in
// soap::message form (the sender writes straight from its records). Same bytes as write_envelope.
//   envelope_writer w(body, header);
//   w.add("04l...", "Account", "001...", fields);  ...  w.finish();
class envelope_writer {
 public:
  envelope_writer(std::string& out, const message_header& header);
  // With `head` from write_envelope_head: callers that send many messages of one header (the
  // sender, the load generator) write it once, not per message.
  envelope_writer(std::string& out, std::string_view head);
  // Whether add() checks the type and the field names. `checked`: the caller made sure of them
  // once (a definition's, with check_names below), rather than per notification.
  enum class names { check, checked };
  // Throws std::invalid_argument past max_notifications, or for a type or field name that is not
  // an API name (then `out` holds a partial envelope).
  void add(std::string_view notification_id, std::string_view type, std::string_view record_id,
           std::span<const field_view> fields, names n = names::check);
  void add(std::string_view notification_id, std::string_view type, std::string_view record_id,
           std::span<const field_value> fields, names n = names::check);
  // Closes the envelope; throws std::invalid_argument if nothing was added.
  void finish();

 private:
  template <class Field>
  void add_notification(std::string_view notification_id, std::string_view type,
                        std::string_view record_id, std::span<const Field> fields, names n);

  std::string& out_;
  std::size_t count_ = 0;
};

struct definition;

// Throws std::invalid_argument naming the definition's object type or first field name that is
// not an API name (letter, then letters, digits, '_'): what envelope_writer::add checks.
void check_names(const definition& d);

// The envelope's text up to its first Notification, which depends on the header only.
std::string write_envelope_head(const message_header& header);

// Appends the envelope to `out` (so a caller can reuse one buffer). Throws std::invalid_argument
// for 0 or more than max_notifications notifications, or an object or field name that is not an API
// name (letter, then letters, digits, '_'). Values are escaped (& < > as entities, \r as &#13;);
// characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, malformed
// UTF-8) are written as U+FFFD, so the output is always well-formed.
void write_envelope(const message& m, std::string& out);
std::string write_envelope(const message& m);

// The header Salesforce sends for an organization: its enterprise and partner URLs for an API
// version, e.g. https://example.my.salesforce.com/services/Soap/c/59.0/00D...
message_header make_header(std::string_view organization_id, std::string_view action_id,
                           std::string_view api_version,
                           std::optional<std::string> session_id = std::nullopt);

// Accepts any prefixes, declarations on any ancestor, default namespaces, CDATA, CRLF, a SOAP
// Header, no XML declaration; ids of 15 or 18 characters (surrounding whitespace ignored); nil is
// xsi:nil="true" or "1". A missing xsi:type gives an empty sobject::type.
// Reasons are short and precise: "not XML: <pugixml's description> at offset 12",
// "not a SOAP 1.1 envelope", "body element is {ns}foo, expected notifications in
// http://soap.sforce.com/2005/09/outbound", "101 notifications, at most 100 allowed",
// "Notification 3 has no Id", "Notification 3: invalid id 'xyz'", ...
expected<message> parse_envelope(std::string_view body);
// As parse_envelope, into `out`: its strings and vectors keep their capacity from one call to the
// next, so that a caller parsing request after request (the mock) allocates little. Returns the
// reason when `body` is refused (then `out` holds anything).
std::optional<std::string> parse_envelope_into(std::string_view body, message& out);

namespace detail {
// The message when `body` is exactly in the form Salesforce sends and write_envelope writes
// (whitespace between elements aside), read without a DOM; nullopt for anything else, which the
// DOM parser then decides. parse_envelope tries this first.
std::optional<message> parse_canonical_envelope(std::string_view body);
// The same into `out`, reusing its capacity; false (with `out` holding anything) for the DOM.
bool parse_canonical_envelope_into(std::string_view body, message& out);
// The DOM parser alone, for the tests and the fuzz target that compare the two.
expected<message> parse_envelope_by_dom(std::string_view body);
}  // namespace detail

}  // namespace outbound::soap
