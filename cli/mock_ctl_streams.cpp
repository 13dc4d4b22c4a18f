// `outbound mock-ctl events` and `ledger --export`: the admin API's streams, read as they come.
#include <fmt/format.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/commands.hpp"
#include "cli/mock_ctl_steps.hpp"
#include "common/input_error.hpp"

namespace outbound::cli {
namespace {

namespace fs = std::filesystem;

// One server-sent event: the fields of its lines (comments and unknown fields dropped).
struct sse_event {
  std::optional<std::uint64_t> id;
  std::string name = "message";
  std::string data;
};

// The next complete event of `pending` (blocks end with a blank line), removed from it; none
// until one is complete. A block of comments only (": keep-alive") gives an event with no data.
std::optional<sse_event> next_event(std::string& pending) {
  const auto end = pending.find("\n\n");
  if (end == std::string::npos) return std::nullopt;
  sse_event e;
  std::string_view block(pending.data(), end);
  while (!block.empty()) {
    const auto eol = block.find('\n');
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto colon = line.find(':');
    if (colon == 0 || line.empty()) continue;
    const std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    if (field == "event") e.name = value;
    if (field == "data") e.data += (e.data.empty() ? "" : "\n") + std::string(value);
    if (field == "id") e.id = std::strtoull(std::string(value).c_str(), nullptr, 10);
  }
  pending.erase(0, end + 2);
  return e;
}

// {"id": 7, "event": "request", <the data's fields>}: a line a CI step can grep or parse.
std::string json_line(const sse_event& e) {
  nlohmann::ordered_json line;
  if (e.id) line["id"] = *e.id;
  line["event"] = e.name;
  const auto data = nlohmann::ordered_json::parse(e.data, nullptr, false);
  if (data.is_object()) {
    for (const auto& [key, value] : data.items())
      if (key != "event") line[key] = value;
  } else {
    line["data"] = e.data;
  }
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What a non-200 answer said, for the message of exit 1.
[[noreturn]] void refused(admin_client& c, std::string_view what, int status,
                          const std::string& body) {
  throw admin_client::unreachable(
      fmt::format("{} answered {}: {}", c.describe("GET", what), status, shorten_value(body, 300)));
}

// Where --out may go: not a folder, in a folder (made when the export arrives).
void check_out(const std::string& out) {
  if (out.empty()) return;
  std::error_code ec;
  const fs::path path(out);
  if (fs::is_directory(path, ec)) throw input_error("--out", out, "a file to write, not a folder");
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    throw input_error("--out", out, "a file in a folder (" + folder.string() + " is a file)");
}

}  // namespace

int follow_events(admin_client& c, const events_options& o) {
  std::optional<duration> deadline;
  if (!o.timeout.empty()) deadline = duration_option(o.timeout, "--timeout");
  const std::string what = o.after ? fmt::format("events?after={}", o.after) : "events";
  std::uint64_t seen = 0;
  std::string pending, error_body;
  auto sink = [&](const sender::http_response& head, std::string_view data) {
    if (head.status != 200) {
      error_body += data;
      return error_body.size() < 64 * 1024;
    }
    pending += data;
    while (auto e = next_event(pending)) {
      if (e->data.empty()) continue;  // a comment: the stream is alive
      fmt::print("{}\n", json_line(*e));
      std::fflush(stdout);
      // Requests and windows count; a gap report and the goodbye do not.
      if (e->id && e->name != "events_lost") ++seen;
      if (o.count && seen >= *o.count) return false;
    }
    return true;
  };
  const sender::attempt_result r = c.stream(what, deadline, sink);
  if (r.response.status != 0 && r.response.status != 200)
    refused(c, what, r.response.status, error_body);
  if (o.count && seen >= *o.count) return 0;
  const std::string got =
      o.count ? fmt::format("{} of {} events", seen, *o.count) : fmt::format("{} events", seen);
  if (r.error == sender::transport_error::timeout && r.response.status == 200) {
    if (!o.count) return 0;  // followed for --timeout, as asked
    fmt::print(stderr, "outbound mock-ctl: timed out after {}: {}\n", o.timeout, got);
    return 1;
  }
  if (r.error != sender::transport_error::none) {
    throw admin_client::unreachable(
        r.response.status == 0
            ? fmt::format("cannot reach the admin API at {}: {}", c.base().url,
                          r.detail.empty() ? std::string(to_string(r.error)) : r.detail)
            : fmt::format("the event stream broke off after {}: {}", got,
                          r.detail.empty() ? std::string(to_string(r.error)) : r.detail));
  }
  if (!o.count) return 0;  // the mock stopped
  fmt::print(stderr, "outbound mock-ctl: the mock stopped after {}\n", got);
  return 1;
}

int export_ledger(admin_client& c, const std::string& out) {
  check_out(out);
  const std::string partial = out.empty() ? "" : out + ".partial-" + std::to_string(::getpid());
  std::ofstream file;
  std::uint64_t lines = 0;
  std::string error_body;
  bool write_failed = false;
  auto write = [&](std::string_view data) {
    if (out.empty()) return std::fwrite(data.data(), 1, data.size(), stdout) == data.size();
    if (!file.is_open()) {
      const fs::path folder = fs::path(out).parent_path();
      std::error_code ec;
      if (!folder.empty()) fs::create_directories(folder, ec);
      file.open(partial, std::ios::binary);
    }
    file.write(data.data(), static_cast<std::streamsize>(data.size()));
    return static_cast<bool>(file);
  };
  auto sink = [&](const sender::http_response& head, std::string_view data) {
    if (head.status != 200) {
      error_body += data;
      return error_body.size() < 64 * 1024;
    }
    lines += static_cast<std::uint64_t>(std::count(data.begin(), data.end(), '\n'));
    write_failed = !write(data);
    return !write_failed;
  };
  const sender::attempt_result r = c.stream("ledger/export", std::nullopt, sink);
  write_failed = write_failed || std::fflush(stdout) != 0 || (file.is_open() && !file.flush());
  if (file.is_open()) file.close();
  std::error_code ec;
  auto discard = [&] {
    if (!partial.empty()) fs::remove(partial, ec);
  };
  if (r.response.status != 0 && r.response.status != 200) {
    discard();
    refused(c, "ledger/export", r.response.status, error_body);
  }
  if (write_failed) {
    discard();
    throw std::runtime_error("cannot write " + (out.empty() ? std::string("stdout") : out));
  }
  if (r.error != sender::transport_error::none) {
    discard();
    throw admin_client::unreachable(
        r.response.status == 0
            ? fmt::format("cannot reach the admin API at {}: {}", c.base().url, r.detail)
            : fmt::format("the export broke off after {} lines: {}", lines, r.detail));
  }
  if (!out.empty()) {
    if (lines == 0) std::ofstream(partial, std::ios::binary);  // an empty ledger, an empty file
    fs::rename(partial, out, ec);
    if (ec) {
      discard();
      throw std::runtime_error("cannot write " + out + ": " + ec.message());
    }
  }
  fmt::print(stderr, "outbound mock-ctl: exported {} notifications{}\n", lines,
             out.empty() ? "" : " to " + out);
  return 0;
}

}  // namespace outbound::cli
