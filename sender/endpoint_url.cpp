// Endpoint URL parsing with Boost.URL; the Salesforce port rules live in soap::check_endpoint_url.
#include "sender/endpoint_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

#include "common/host_name.hpp"
#include "common/input_error.hpp"

namespace outbound::sender {
namespace {

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  long value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535;
}

std::string default_port(bool tls) {
  return tls ? "443" : "80";
}

}  // namespace

endpoint parse_endpoint(std::string_view url, const std::string& file, const std::string& field) {
  auto fail = [&](const std::string& expected) -> input_error {
    return input_error(file, field, expected + " (got \"" + shorten_value(url) + "\")");
  };
  auto parsed = boost::urls::parse_uri(url);  // a fragment is allowed and ignored
  if (!parsed) throw fail("an absolute http or https URL");
  const boost::urls::url_view& u = *parsed;
  endpoint ep;
  ep.url = std::string(url);
  std::string scheme = lowered(u.scheme());
  if (scheme != "http" && scheme != "https") throw fail("an http or https URL");
  ep.tls = scheme == "https";
  if (!u.has_authority() || u.encoded_host().empty()) throw fail("a URL with a host name");
  // Salesforce sends no credentials in the URL; accepting them silently would mislead.
  if (u.has_userinfo()) throw fail("a URL without user:password@");
  switch (u.host_type()) {
    case boost::urls::host_type::ipv6:
      ep.host = u.host_ipv6_address().to_string();
      break;
    case boost::urls::host_type::ipvfuture:
      throw fail("a host name or an IPv4 or IPv6 address");
    case boost::urls::host_type::name:
      if (!is_host_name(u.host_name())) throw fail(std::string(host_name_rule));
      ep.host = lowered(u.host_name());
      break;
    default:
      ep.host = lowered(u.host());
  }
  // The port as written after the host (Boost.URL is lenient with odd ports); empty: default.
  std::string_view authority = u.encoded_authority();
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  std::string_view port;
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket))
    port = authority.substr(colon + 1);
  if (!port.empty() && !valid_port(port)) throw fail("a port between 1 and 65535");
  ep.port = port.empty() ? default_port(ep.tls) : std::string(port);
  ep.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  // Boost.URL 1.81 reads "http://h:12ab/" as port 12 and path "ab/": a path must start with /.
  if (ep.target.front() != '/') throw fail("a port of digits only, then a path starting with /");
  if (u.has_query()) ep.target += "?" + std::string(u.encoded_query());
  return ep;
}

namespace {
std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}
}  // namespace

std::string host_header(const endpoint& ep) {
  std::string host = bracketed(ep.host);
  if (ep.port != default_port(ep.tls)) host += ":" + ep.port;
  return host;
}

std::string pool_key(const endpoint& ep) {
  return std::string(ep.tls ? "https://" : "http://") + bracketed(ep.host) + ":" + ep.port;
}

}  // namespace outbound::sender
