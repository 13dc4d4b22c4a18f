#pragma once
// The lines `outbound mock --log requests|json` writes on stderr: one per request (or connection
// a fault ended before any request), and one per fault window opening or closing.
//   options.log(format_request_line(entry, log_format::json));

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "mock_endpoint/fault_kind.hpp"

namespace outbound::mock_endpoint {

enum class log_format {
  quiet,  // fault windows only, as text
  text,   // a line per request, then windows, as text
  json,   // the same as JSON lines
};

struct request_log_entry {
  time_point at;       // when the request was read (or the connection accepted)
  std::string peer;    // "127.0.0.1:53412"
  std::string method;  // empty: no request was read (a connection fault)
  std::string target;
  std::size_t notifications = 0;
  int status = 0;           // 0: no HTTP answer
  std::string_view answer;  // "acked", "nacked", "rejected", "faulted", ..., "connection"
  std::vector<fault_kind> faults;
  duration took{};  // from the request read to the answer written or the connection gone
};

std::string format_request_line(const request_log_entry& e, log_format f);
std::string format_window_line(time_point at, bool opened, const std::string& window, log_format f);

}  // namespace outbound::mock_endpoint
