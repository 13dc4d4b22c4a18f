#pragma once
// Appends text to XML output so that the result is always well-formed XML 1.0 (internal to soap/).
//   append_escaped_text(out, "A&B <Ltd>");   // A&amp;B &lt;Ltd&gt;
// & < > become entities (and " in attributes); \r (and \t \n in attributes) become character
// references so they survive a parser's normalisation; characters XML 1.0 forbids (C0 controls
// other than tab/newline/CR, U+FFFE/U+FFFF, malformed UTF-8) become U+FFFD, since no reference can
// carry them.

#include <string>
#include <string_view>

namespace outbound::soap::detail {

void append_escaped_text(std::string& out, std::string_view text);
void append_escaped_attribute(std::string& out, std::string_view text);

// True for names Salesforce gives objects and fields: a letter, then letters, digits, underscores.
bool is_api_name(std::string_view name);

}  // namespace outbound::soap::detail
