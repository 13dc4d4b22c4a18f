// A definition's endpoint URL as the transport connects to it; common/http_url parses it.
#include "sender/destination.hpp"

#include "common/http_url.hpp"

namespace outbound::sender {
namespace {

std::string default_port(bool tls) {
  return tls ? "443" : "80";
}

}  // namespace

destination parse_destination(std::string_view url, const std::string& file,
                              const std::string& field) {
  const http_url u = parse_http_url(url, file, field);
  destination ep;
  ep.url = std::string(url);
  ep.tls = u.tls;
  ep.host = u.host;
  ep.port = std::to_string(u.port);
  ep.target = u.target;
  return ep;
}

namespace {
std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}
}  // namespace

std::string host_header(const destination& ep) {
  std::string host = bracketed(ep.host);
  if (ep.port != default_port(ep.tls)) host += ":" + ep.port;
  return host;
}

std::string pool_key(const destination& ep) {
  return std::string(ep.tls ? "https://" : "http://") + bracketed(ep.host) + ":" + ep.port;
}

}  // namespace outbound::sender
