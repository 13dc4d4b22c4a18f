#include "soap/xml_escape.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace outbound::soap::detail {
namespace {

std::string text(std::string_view s) {
  std::string out;
  append_escaped_text(out, s);
  return out;
}
std::string attribute(std::string_view s) {
  std::string out;
  append_escaped_attribute(out, s);
  return out;
}

// Plain text is scanned sixteen bytes a step, the last few through a copy: a byte that needs
// escaping is found at every place of a value, on either side of a step's boundary or in the
// last few, alone or next to another.
TEST(xml_escape, finds_every_byte_to_escape_wherever_it_stands) {
  // (the byte or sequence, as text, as an attribute)
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"&", "&amp;", "&amp;"},
      {"<", "&lt;", "&lt;"},
      {">", "&gt;", "&gt;"},
      {"\"", "\"", "&quot;"},
      {"\r", "&#13;", "&#13;"},
      {"\n", "\n", "&#10;"},
      {"\t", "\t", "&#9;"},
      {std::string(1, '\0'), "\xEF\xBF\xBD", "\xEF\xBF\xBD"},
      {"\x1F", "\xEF\xBF\xBD", "\xEF\xBF\xBD"},
      {"\x7F", "\x7F", "\x7F"},
      {"\xC3\xA9", "\xC3\xA9", "\xC3\xA9"},              // é
      {"\xFF", "\xEF\xBF\xBD", "\xEF\xBF\xBD"},          // never UTF-8
      {"\xEF\xBF\xBE", "\xEF\xBF\xBD", "\xEF\xBF\xBD"},  // U+FFFE
  };
  const std::string plain = "Nordwind Logistik AG, 1 Market St, 69190 Walldorf";
  for (const auto& [special, as_text, as_attribute] : cases) {
    for (std::size_t size = 0; size <= 40; ++size) {
      for (std::size_t at = 0; at <= size; ++at) {
        const std::string before = plain.substr(0, at), after = plain.substr(at, size - at);
        EXPECT_EQ(text(before + special + after), before + as_text + after) << at << " " << size;
        EXPECT_EQ(attribute(before + special + after), before + as_attribute + after)
            << at << " " << size;
        EXPECT_EQ(text(before + special + special + after), before + as_text + as_text + after);
      }
    }
  }
  EXPECT_EQ(text(plain), plain);
  EXPECT_EQ(text(""), "");
}

}  // namespace
}  // namespace outbound::soap::detail
