#pragma once
// Files named by command-line options, checked before a command listens or opens anything: a
// missing, unreadable or non-PEM file is an input_error naming the file, the option and the fault.
//   const std::string cert = read_option_file(path, "--tls-cert");
//   check_tls_identity({cert, "--tls-cert"}, {key, "--tls-key"});

#include <string>

namespace outbound::cli {

// The whole file (read_input_file, with its size limit); throws input_error naming `option` when it
// does not exist, is a directory, cannot be read or is too large.
std::string read_option_file(const std::string& file, const std::string& option);

// A PEM text read from `file` for `option`.
struct pem_option {
  std::string pem;
  std::string file;
  std::string option;
};

// Throws input_error unless `certificate` is a PEM certificate chain and `key` its PEM private key.
void check_tls_identity(const pem_option& certificate, const pem_option& key);

// Throws input_error unless `ca` holds PEM certificates.
void check_tls_authority(const pem_option& ca);

}  // namespace outbound::cli
