#include "modes/load_mix.hpp"

#include <fmt/format.h>

namespace outbound::modes {
namespace {

// splitmix64: a stateless hash, so message i's draw needs nothing but (seed, i).
std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double unit(std::uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;  // [0, 1)
}

// The index i < n whose cumulative weight first exceeds u * total, weight(i) giving each one's
// weight (no copy of the weights: this runs for every message).
template <typename Weight>
std::size_t by_weight(std::size_t n, Weight weight, double u) {
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total += weight(i);
  const double target = u * total;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += weight(i);
    if (target < sum) return i;
  }
  return n - 1;  // u * total rounded up to the total
}

}  // namespace

std::size_t batch_sizes::pick(double u) const {
  if (!choices.empty()) {
    const auto weight = [&](std::size_t i) { return choices[i].second; };
    return choices[by_weight(choices.size(), weight, u)].first;
  }
  const std::size_t span = max - min + 1;
  return min + std::min(span - 1, static_cast<std::size_t>(u * static_cast<double>(span)));
}

double batch_sizes::mean() const {
  if (choices.empty()) return (static_cast<double>(min) + static_cast<double>(max)) / 2;
  double sum = 0, weights = 0;
  for (const auto& [size, weight] : choices) {
    sum += static_cast<double>(size) * weight;
    weights += weight;
  }
  return sum / weights;
}

std::string batch_sizes::describe() const {
  if (choices.empty())
    return min == max ? std::to_string(min) : fmt::format("{}-{} uniform", min, max);
  std::string out;
  for (const auto& [size, weight] : choices)
    out += fmt::format("{}{} x{:g}", out.empty() ? "" : ", ", size, weight);
  return out;
}

message_choice choose(const std::vector<load_definition>& mix, std::uint64_t seed,
                      std::uint64_t test_index) {
  const std::uint64_t h = mix64(seed ^ mix64(test_index));
  message_choice c;
  const auto weight = [&](std::size_t i) { return mix[i].weight; };
  if (mix.size() > 1) c.definition = by_weight(mix.size(), weight, unit(h));
  c.batch = mix[c.definition].batch.pick(unit(mix64(h)));
  return c;
}

}  // namespace outbound::modes
