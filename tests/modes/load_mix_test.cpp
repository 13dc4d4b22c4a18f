#include "modes/load_mix.hpp"

#include <gtest/gtest.h>

#include <map>

#include "modes/builtin_definition.hpp"

namespace outbound::modes {
namespace {

std::vector<load_definition> three_to_one() {
  auto account = builtin_account_definition();
  auto contact = account;
  contact.full_name = "Contact_to_ERP";
  return {{account, 3, batch_sizes::uniform(1, 10)}, {contact, 1, batch_sizes::fixed(1)}};
}

// The same seed picks the same definition and batch for every message; another seed does not.
TEST(load_mix, choices_are_deterministic_by_seed_and_message) {
  const auto mix = three_to_one();
  std::vector<std::pair<std::size_t, std::size_t>> a, b, c;
  for (std::uint64_t i = 0; i < 200; ++i) {
    const auto x = choose(mix, 7, i), y = choose(mix, 7, i), z = choose(mix, 8, i);
    a.emplace_back(x.definition, x.batch);
    b.emplace_back(y.definition, y.batch);
    c.emplace_back(z.definition, z.batch);
  }
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(load_mix, weights_share_the_messages) {
  const auto mix = three_to_one();
  std::map<std::size_t, int> per_definition;
  std::map<std::size_t, int> sizes;
  for (std::uint64_t i = 0; i < 40000; ++i) {
    const auto c = choose(mix, 1, i);
    ++per_definition[c.definition];
    if (c.definition == 0) ++sizes[c.batch];
    if (c.definition == 1) {
      EXPECT_EQ(c.batch, 1u);
    }
  }
  EXPECT_NEAR(per_definition[0] / 40000.0, 0.75, 0.01);
  EXPECT_EQ(sizes.begin()->first, 1u);
  EXPECT_EQ(sizes.rbegin()->first, 10u);
  EXPECT_EQ(sizes.size(), 10u);
}

TEST(batch_sizes, picks_fixed_uniform_and_weighted_sizes) {
  EXPECT_EQ(batch_sizes::fixed(5).pick(0.99), 5u);
  EXPECT_EQ(batch_sizes::uniform(1, 10).pick(0.0), 1u);
  EXPECT_EQ(batch_sizes::uniform(1, 10).pick(0.999999), 10u);
  batch_sizes w;
  w.choices = {{1, 9}, {100, 1}};
  EXPECT_EQ(w.pick(0.0), 1u);
  EXPECT_EQ(w.pick(0.89), 1u);
  EXPECT_EQ(w.pick(0.91), 100u);
  EXPECT_DOUBLE_EQ(w.mean(), 10.9);
  EXPECT_EQ(w.describe(), "1 x9, 100 x1");
  EXPECT_EQ(batch_sizes::uniform(1, 10).describe(), "1-10 uniform");
}

}  // namespace
}  // namespace outbound::modes
