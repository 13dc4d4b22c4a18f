#pragma once
// The head of an HTTP/1.x response in the shape listeners answer with (a status line, plain
// header fields, a Content-Length), read in place: Beast's parser allocated each field and cost
// about a tenth of a `load` message's work. Anything else (chunked or close-delimited bodies,
// 1xx, 204, 304, an empty reason, repeated or folded fields, a Connection header with other
// tokens, a malformed byte anywhere) is declined, and Beast's parser reads it from the same
// bytes. A test and the response_head fuzz target check that wherever this reads a head, Beast
// reads the same one, and that wherever this waits for more, Beast finds no error yet.
//   auto h = read_response_head(bytes, 1 << 20);
//   if (h.outcome == head_outcome::complete)
//     body = bytes.substr(h.head.size, h.head.content_length);

#include <cstddef>
#include <string_view>

namespace outbound::sender {

struct response_head {
  int status = 0;
  std::string_view reason;
  std::string_view content_type;  // empty when absent
  std::string_view retry_after;   // empty when absent
  std::size_t content_length = 0;
  std::size_t size = 0;  // bytes of the head, the blank line included
  bool keep_alive = false;
};

enum class head_outcome {
  complete,    // `head` describes bytes[0, head.size)
  incomplete,  // no blank line yet: read more (up to max_head_size), then ask again
  declined,    // not the common shape: Beast's parser reads it
};

struct head_reading {
  head_outcome outcome = head_outcome::declined;
  response_head head;
};

// The longest head this reads; a longer one is declined.
inline constexpr std::size_t max_head_size = 8 * 1024;

// Reads a response head from the start of `bytes`. A Content-Length over `body_limit` is
// declined (Beast reports it as an error).
head_reading read_response_head(std::string_view bytes, std::size_t body_limit);

}  // namespace outbound::sender
