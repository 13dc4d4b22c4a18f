#pragma once
// The listener's answer: writers for Ack true/false and SOAP 1.1 faults, and the classification of
// any HTTP response the way Salesforce words it in the delivery status page's "Delivery Failure
// Reason".
//   auto v = classify_response(200, "OK", "text/xml", body);
//   if (v.kind == response_kind::ack) settle(); else retry_later(v.reason);

#include <optional>
#include <string>
#include <string_view>

namespace outbound::soap {

std::string write_ack(bool ack);
std::string write_fault(std::string_view faultcode, std::string_view faultstring);

enum class response_kind {
  ack,          // HTTP 200, notificationsResponse/Ack true
  nack,         // Ack false: "SOAP response was a nack"
  soap_fault,   // a SOAP Fault: its faultstring
  not_xml,      // "org.xml.sax.SAXParseException: Content is not allowed in prolog."
  empty,        // no body at all: "org.xml.sax.SAXParseException: Premature end of file."
  not_an_ack,   // well-formed XML without an Ack
  http_status,  // any other status: "(503)Service Unavailable"
};

std::string_view to_string(response_kind k);  // "ack", "nack", "soap_fault", ...

struct response_verdict {
  response_kind kind = response_kind::ack;
  std::string reason;  // the Delivery Failure Reason text; empty for an ack
};

// Classifies a complete HTTP response. `reason_phrase` may be empty (the standard one is used).
// A SOAP Fault is soap_fault whatever the status; any other non-200 is http_status; an Ack of
// "true"/"1" is an ack, "false"/"0" a nack (xsd:boolean). not_an_ack reasons read "SOAP response
// was not an ack: <detail>" (our wording: Salesforce's is not published). Malformed XML of any kind
// is not_xml with the prolog text. The Content-Type is not consulted (Salesforce reads the body).
response_verdict classify_response(int status, std::string_view reason_phrase,
                                   std::string_view content_type, std::string_view body);

namespace detail {
// true or false when `body` is one of the exact acks classify_response recognises without a DOM
// (whitespace after tags aside); nullopt for anything else, which the DOM decides.
std::optional<bool> canonical_ack_value(std::string_view body);
}  // namespace detail

}  // namespace outbound::soap
