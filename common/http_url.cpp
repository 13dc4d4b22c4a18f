#include "common/http_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>

#include "common/host_name.hpp"
#include "common/input_error.hpp"

namespace outbound {
namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

}  // namespace

http_url parse_http_url(std::string_view url, const std::string& file, const std::string& field) {
  auto fail = [&](const std::string& expected) {
    return input_error(file, field, expected + " (got \"" + shorten_value(url) + "\")");
  };
  auto parsed = boost::urls::parse_uri(url);  // a fragment is allowed and ignored
  if (!parsed) throw fail("an absolute http or https URL");
  const boost::urls::url_view& u = *parsed;
  http_url out;
  const std::string scheme = lowered(u.scheme());
  if (scheme != "http" && scheme != "https") throw fail("an http or https URL");
  out.tls = scheme == "https";
  if (!u.has_authority() || u.encoded_host().empty()) throw fail("a URL with a host name");
  // Salesforce sends no credentials in the URL; accepting them silently would mislead.
  if (u.has_userinfo()) throw fail("a URL without user:password@");
  switch (u.host_type()) {
    case boost::urls::host_type::ipv6:
      out.host = u.host_ipv6_address().to_string();
      break;
    case boost::urls::host_type::ipv4:
      out.host = u.host();
      break;
    case boost::urls::host_type::name:
      out.host = lowered(u.host());
      if (!is_host_name(out.host)) throw fail(std::string(host_name_rule));
      break;
    default:
      throw fail("a host name or an IPv4 or IPv6 address");
  }
  // The port as written after the host: Boost.URL 1.81 reads "http://h:12ab/" as port 12 and
  // path "ab/", so the authority is read again here.
  std::string_view authority = u.encoded_authority();
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  std::string_view port;
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket))
    port = authority.substr(colon + 1);
  if (!port.empty()) {
    long value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || value > 65535) throw fail("a port between 1 and 65535");
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 65535) throw fail("a port between 1 and 65535");
    out.port = static_cast<std::uint16_t>(value);
    out.port_written = true;
  } else {
    out.port = out.tls ? 443 : 80;
  }
  out.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (out.target.front() != '/') throw fail("a port of digits only, then a path starting with /");
  if (u.has_query()) out.target += "?" + std::string(u.encoded_query());
  return out;
}

}  // namespace outbound
