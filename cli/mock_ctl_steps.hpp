#pragma once
// The steps of `outbound mock-ctl` that need more than one admin call: following the event stream,
// exporting the ledger, verifying a sender's store against it, replaying a recorded request. Each
// checks its own options (input_error, exit 2) before it calls the mock.
//   int code = follow_events(client, {.count = 5, .timeout = "30s"});

#include <cstdint>
#include <optional>
#include <string>

#include "cli/admin_client.hpp"

namespace outbound::cli {

struct events_options {
  std::optional<std::uint64_t> count;  // stop after this many events (requests and windows)
  std::string timeout;                 // give up after this long; empty: until the mock stops
  std::uint64_t after = 0;             // resume after this event id
};
// Prints GET /__admin/events as JSON lines ({"id": 7, "event": "request", ...}). 0 when `count`
// events came (or, without a count, when the mock stopped or the time was up); 1 otherwise.
int follow_events(admin_client& c, const events_options& o);

// GET /__admin/ledger/export to stdout, or to `out` (written whole or not at all).
int export_ledger(admin_client& c, const std::string& out);

struct verify_options {
  std::string store;       // the sender's store file
  std::string definition;  // only the records of this definition; empty: every definition
};
// Every record with a notification in the store, not deleted, against the values the mock holds
// for it: 0 when all hold their newest values, 1 listing those that do not.
int verify_store(admin_client& c, const verify_options& o);

struct replay_options {
  std::uint64_t number = 0;  // the request's number at the mock (GET /__admin/requests)
  std::string to;            // the listener's URL
  std::string timeout = "60s";
  std::string ca_file;
};
// POSTs the body of request `number`, byte for byte, with Salesforce's headers to `to`: 0 when
// it was acked, 1 otherwise.
int replay_request(admin_client& c, const replay_options& o);

}  // namespace outbound::cli
