// soap::classify_response: what the sender makes of a listener's answer. The input is the status
// line's "CODE REASON" up to the first newline, then the body.
#include <charconv>

#include "fuzz/fuzz_input.hpp"
#include "soap/ack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace outbound;
  std::string_view in = fuzz::text(data, size);
  const auto line_end = in.find('\n');
  std::string_view line = in.substr(0, line_end);
  std::string_view body = line_end == std::string_view::npos ? "" : in.substr(line_end + 1);
  int status = 200;
  auto [rest, ec] = std::from_chars(line.data(), line.data() + line.size(), status);
  if (ec != std::errc() || status < 100 || status > 999) status = 200;
  std::string_view reason = line.substr(static_cast<std::size_t>(rest - line.data()));
  if (!reason.empty() && reason.front() == ' ') reason.remove_prefix(1);

  const auto v = soap::classify_response(status, reason, "text/xml; charset=utf-8", body);
  fuzz::require((v.kind == soap::response_kind::ack) == v.reason.empty(),
                "only an ack has no failure reason");
  return 0;
}
