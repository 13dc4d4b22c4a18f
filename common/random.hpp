#pragma once
// The one source of randomness of a run: seeded once, passed by reference to whatever needs it,
// so the same seed replays the same run byte for byte.
//   random rng(42);  double u = rng.uniform();  auto n = rng.below(100);

#include <cstdint>
#include <random>

namespace outbound {

class random {
 public:
  explicit random(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }
  // Uniform in [0, 1); computed from the raw bits so it is the same on every standard library.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, bound); bound 0 gives 0.
  std::uint64_t below(std::uint64_t bound) { return bound == 0 ? 0 : engine_() % bound; }
  bool chance(double probability) { return uniform() < probability; }
  // A child generator for an independent stream (one per endpoint, say) derived from this one.
  random fork() { return random(engine_()); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace outbound
