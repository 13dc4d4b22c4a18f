// The delivery status page and the outbound messages Setup page, from any store.
#include "sender/status.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace outbound::sender {
namespace {

struct label {
  std::string name;
  std::string object;
};

std::map<std::string, label, std::less<>> labels_of(const store& s) {
  std::map<std::string, label, std::less<>> out;
  for (const auto& d : s.definitions())
    out[d.full_name] = {d.name.empty() ? d.full_name : d.name, d.object};
  return out;
}

std::string summary_line(const state_counts& c) {
  std::string out;
  for (state st : all_states)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", to_string(st), c[st]);
  return out;
}

// Characters as a terminal shows them: UTF-8 continuation bytes take no column.
std::size_t width_of(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string truncate_reason(const std::string& reason, std::size_t width) {
  if (width_of(reason) <= width) return reason;
  std::size_t cut = 0, seen = 0;
  const std::size_t keep = width > 3 ? width - 3 : 0;
  while (cut < reason.size() && seen < keep) {
    ++cut;
    while (cut < reason.size() && (reason[cut] & 0xC0) == 0x80) ++cut;
    ++seen;
  }
  return reason.substr(0, cut) + "...";
}

delivery_status collect_status(const store& s, std::size_t limit) {
  delivery_status out;
  out.summary = s.counts();
  const auto labels = labels_of(s);
  const state listed[] = {state::queued, state::in_flight, state::retrying, state::failed};
  s.for_each(listed, limit, [&](const notification& n) {
    status_row row;
    auto it = labels.find(n.definition);
    row.outbound_message = it != labels.end() ? it->second.name : n.definition;
    row.object = it != labels.end() ? it->second.object : "";
    row.record_id = n.record_id;
    row.created = n.created;
    row.attempts = n.attempts;
    if (n.status != state::failed) row.next_attempt = n.next_attempt;
    row.reason = n.last_error;
    row.notification_id = n.id;
    row.status = n.status;
    out.items.push_back(std::move(row));
  });
  std::uint64_t listed_total = 0;
  for (state st : listed) listed_total += out.summary[st];
  if (listed_total > out.items.size()) out.items_left_out = listed_total - out.items.size();
  return out;
}

std::string render_status_text(const delivery_status& s) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"Action", "Outbound Message", "Object", "Record Id", "Created", "Attempts",
                  "Next Attempt", "Delivery Failure Reason"});
  // A terminal has no links: the Action cell carries the id that `outbound retry|delete` take.
  for (const auto& r : s.items)
    rows.push_back({r.action + " " + r.notification_id, r.outbound_message, r.object, r.record_id,
                    format_timestamp(r.created), std::to_string(r.attempts),
                    r.next_attempt ? format_timestamp(*r.next_attempt) : "",
                    truncate_reason(r.reason)});
  std::vector<std::size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], width_of(row[i]));
  std::string out;
  if (s.items.empty()) {
    out += "No notifications are queued or failing.\n";
  } else {
    for (const auto& row : rows) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        line += row[i];
        if (i + 1 < row.size()) line += std::string(widths[i] - width_of(row[i]) + 2, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  if (s.items_left_out) out += fmt::format("... and {} more\n", s.items_left_out);
  out += summary_line(s.summary) + "\n";
  return out;
}

nlohmann::json status_to_json(const delivery_status& s) {
  nlohmann::json summary = nlohmann::json::object();
  for (state st : all_states) summary[std::string(to_string(st))] = s.summary[st];
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : s.items) {
    items.push_back(
        {{"id", r.notification_id},
         {"state", to_string(r.status)},
         {"action", r.action},
         {"outbound_message", r.outbound_message},
         {"object", r.object},
         {"record_id", r.record_id},
         {"created", format_timestamp(r.created)},
         {"attempts", r.attempts},
         {"next_attempt", r.next_attempt ? nlohmann::json(format_timestamp(*r.next_attempt))
                                         : nlohmann::json(nullptr)},
         {"reason", r.reason}});
  }
  return {{"summary", summary}, {"items", items}, {"items_left_out", s.items_left_out}};
}

std::string render_definitions_text(const store& s) {
  auto defs = s.definitions();
  if (defs.empty()) return "No outbound messages are defined in this store.\n";
  std::string out;
  for (const auto& d : defs) {
    std::string fields = "Id";
    for (const auto& f : d.fields)
      if (f.name != "Id") fields += ", " + f.name;
    if (!out.empty()) out += "\n";
    out += fmt::format("{} ({})\n", d.name.empty() ? d.full_name : d.name, d.full_name);
    out += fmt::format("  Object:                {}\n", d.object);
    out += fmt::format("  Endpoint URL:          {}\n", d.endpoint_url);
    out += fmt::format("  Fields to Send:        {}\n", fields);
    out += fmt::format("  Send Session ID:       {}\n", d.include_session_id ? "yes" : "no");
    out += fmt::format("  Use Dead Letter Queue: {}\n", d.use_dead_letter_queue ? "yes" : "no");
    out += fmt::format("  Notifications:         {}\n", summary_line(s.counts(d.full_name)));
  }
  return out;
}

}  // namespace outbound::sender
