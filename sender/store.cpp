// Names of the notification states, shared by both stores, the status page and the JSON forms.
#include "sender/store.hpp"

namespace outbound::sender {
namespace {

constexpr std::array<std::string_view, state_count> state_names{
    "queued", "in_flight", "retrying", "delivered", "failed", "dropped", "deleted"};

}  // namespace

std::string_view to_string(state s) {
  return state_names[static_cast<std::size_t>(s)];
}

std::optional<state> state_from_string(std::string_view text) {
  for (std::size_t i = 0; i < state_count; ++i)
    if (state_names[i] == text) return static_cast<state>(i);
  return std::nullopt;
}

std::uint64_t state_counts::total() const {
  std::uint64_t sum = 0;
  for (auto v : n) sum += v;
  return sum;
}

}  // namespace outbound::sender
