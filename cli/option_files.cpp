#include "cli/option_files.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/input_error.hpp"
#include "common/input_file.hpp"

namespace outbound::cli {
namespace {

namespace ssl = boost::asio::ssl;

// Why OpenSSL refused `pem`: a file with no PEM block at all is the usual mistake.
std::string reason(const std::string& pem, const boost::system::error_code& ec) {
  if (pem.find("-----BEGIN ") == std::string::npos) return "the file holds no PEM block";
  return "OpenSSL says \"" + ec.message() + "\"";
}

}  // namespace

std::string read_option_file(const std::string& file, const std::string& option) {
  // The shared reader knows the size limit (a `--tls-cert /dev/zero` stops there); its error is
  // given back with the option that named the file.
  try {
    return read_input_file(file, "a file");
  } catch (const input_error& e) {
    throw input_error(e.file(), option, e.expected());
  }
}

void check_tls_identity(const pem_option& certificate, const pem_option& key) {
  ssl::context ctx(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx.use_certificate_chain(boost::asio::buffer(certificate.pem), ec);
  if (ec)
    throw input_error(
        certificate.file, certificate.option,
        "a PEM certificate chain (-----BEGIN CERTIFICATE-----): " + reason(certificate.pem, ec));
  ctx.use_private_key(boost::asio::buffer(key.pem), ssl::context::pem, ec);
  if (ec)
    throw input_error(key.file, key.option,
                      "the PEM private key of " + certificate.option + " " + certificate.file +
                          ": " + reason(key.pem, ec));
}

void check_tls_authority(const pem_option& ca) {
  ssl::context ctx(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx.add_certificate_authority(boost::asio::buffer(ca.pem), ec);
  if (ec)
    throw input_error(ca.file, ca.option,
                      "PEM CA certificates (-----BEGIN CERTIFICATE-----): " + reason(ca.pem, ec));
}

}  // namespace outbound::cli
