#pragma once
// The listener conformance battery: realistic Salesforce traffic (one notification, 100 in one
// message, a redelivery, nil SessionId, special characters, a deleted record, 15-character ids)
// and the judgement of each answer (HTTP 200, text/xml, Ack true, within the timeout).
//   random rng(seed);
//   for (auto& c : make_battery(def, rng)) outcomes.push_back(judge_answer(c, send(c), 60s));

#include <string>
#include <string_view>
#include <vector>

#include "common/duration.hpp"
#include "common/random.hpp"
#include "sender/transport.hpp"
#include "soap/definition.hpp"
#include "soap/envelope.hpp"

namespace outbound::modes {

struct check_case {
  std::string name;         // stable, for JUnit and scripts: "one_notification"
  std::string description;  // one line for people: "one notification"
  soap::message message;
};

// The battery, in the order it is sent (a redelivery follows the message it repeats). Ids are
// drawn from `rng`, so two runs with different seeds never reuse each other's ids.
std::vector<check_case> make_battery(const soap::definition& d, random& rng);

struct check_outcome {
  std::string name;
  std::string description;
  bool passed = false;
  std::string failure;  // why it failed, every rule broken, "; "-separated; empty when passed
  // What the listener answered, short: "HTTP 200 OK, Ack true, in 12.3ms", "HTTP 500, SOAP fault:
  // ERP posting period closed, in 4.1ms", "no HTTP response after 60s: ...". A SOAP answer is
  // summed up by its Ack or faultstring, never by its envelope.
  std::string came_back;
  // The start of a body the summary does not already say (an HTML page, text, XML without an
  // Ack), on one line and cut at a word; empty for an ack, a nack, a SOAP fault or no body.
  std::string body_excerpt;
  duration elapsed{};
  std::size_t notifications = 0;  // in the message sent
};

// Judges one answer: HTTP 200, a text/xml Content-Type, a well-formed Ack of true, within
// `timeout`.
check_outcome judge_answer(const check_case& c, const sender::attempt_result& r, duration timeout);

// "text/xml" with any parameters and in any case; "application/soap+xml" is not.
bool is_text_xml(std::string_view content_type);

// The first `max_bytes` of a body on one line, runs of blanks and control characters shown as one
// space, "…" if cut: after a whole word when one ends in the second half, never inside a
// character. Of a SOAP envelope, only what its Body holds (no XML declaration or namespaces).
std::string body_preview(std::string_view body, std::size_t max_bytes = 120);

}  // namespace outbound::modes
