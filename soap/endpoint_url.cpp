// Salesforce's rules for outbound message endpoint URLs ("Setting up outbound messaging").
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <string>

#include "common/host_name.hpp"
#include "common/input_error.hpp"
#include "soap/definition.hpp"

namespace outbound::soap {
namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The port as a number; -1 when it is not all digits or larger than any port.
long port_value(std::string_view port) {
  if (port.empty() || port.size() > 5) return -1;
  long value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value <= 65535 ? value : -1;
}

}  // namespace

void check_endpoint_url(const std::string& url, bool include_session_id, const std::string& file,
                        const std::string& path) {
  auto quoted = [&] { return " (got \"" + shorten_value(url) + "\")"; };
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) throw input_error(file, path, "an absolute http or https URL" + quoted());
  const boost::urls::url_view& u = *parsed;
  std::string scheme = lowered(u.scheme());
  if (scheme != "http" && scheme != "https")
    throw input_error(file, path, "an http or https URL" + quoted());
  if (!u.has_authority() || u.encoded_host().empty())
    throw input_error(file, path, "a URL with a host name" + quoted());
  if (u.host_type() == boost::urls::host_type::name && !is_host_name(u.host_name()))
    throw input_error(file, path, std::string(host_name_rule) + quoted());
  bool https = scheme == "https";
  if (u.has_port()) {
    long port = port_value(u.port());
    bool allowed = port >= 1024 || port == (https ? 443 : 80);
    if (!allowed)
      throw input_error(file, path,
                        std::string("a port that Salesforce allows: ") + (https ? "443" : "80") +
                            " or 1024-65535 for " + scheme + quoted());
  }
  if (include_session_id && !https)
    throw input_error(
        file, path,
        "an https URL, because Salesforce sends a session id only over https" + quoted());
}

}  // namespace outbound::soap
