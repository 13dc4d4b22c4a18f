#include "mock_endpoint/key_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <unordered_map>
#include <vector>

namespace outbound::mock_endpoint {
namespace {

using table = key_table<std::uint32_t, 9>;
struct two_words {
  std::uint64_t first = 0, second = 0;
};

TEST(key_table, a_slot_with_a_four_byte_value_takes_twelve_bytes) {
  EXPECT_EQ(sizeof(table::slot), 12u);
  EXPECT_EQ(sizeof(key_table<two_words>::slot), 24u);
}

// Many growths, keys at both ends of the range, and as many absent keys looked up: each key keeps
// its value and spare bits, and no other key is found.
TEST(key_table, finds_every_key_it_holds_and_no_other) {
  std::mt19937_64 random(7);
  std::vector<std::uint64_t> keys = {0,
                                     1,
                                     2,
                                     std::uint64_t{1} << 63,
                                     std::numeric_limits<std::uint64_t>::max(),
                                     std::numeric_limits<std::uint64_t>::max() - 1};
  while (keys.size() < 300'000) keys.push_back(random());
  std::unordered_map<std::uint64_t, std::uint32_t> expected;
  table t;
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    bool inserted = false;
    auto& s = t.insert(keys[i], inserted);
    ASSERT_TRUE(inserted) << i;
    s.value = i;
    s.set_spare(i * 7);
    expected[keys[i]] = i;
  }
  EXPECT_EQ(t.size(), keys.size());
  for (const auto& [key, i] : expected) {
    const auto* s = t.find(key);
    ASSERT_NE(s, nullptr) << key;
    EXPECT_EQ(s->value, i);
    EXPECT_EQ(s->spare(), (i * 7) & 0x1ff);
    bool inserted = true;
    EXPECT_EQ(&t.insert(key, inserted), s);
    EXPECT_FALSE(inserted);
  }
  for (int i = 0; i < 300'000; ++i) {
    const std::uint64_t key = random();
    EXPECT_EQ(t.find(key) != nullptr, expected.count(key) == 1) << key;
  }
  EXPECT_EQ(t.size(), keys.size());
}

// Grown by a quarter at most 80% full, the table is 64% to 80% full: 12 bytes a key take 15 to
// 19 bytes (beside the fixed tail of 127 slots).
TEST(key_table, grows_by_a_quarter_and_stays_between_two_thirds_and_four_fifths_full) {
  std::mt19937_64 random(11);
  table t;
  std::size_t last = 0, growths = 0;
  for (std::size_t n = 1; n <= 2'000'000; ++n) {
    t.insert(random());
    const std::size_t bytes = t.memory_bytes();
    if (bytes != last && last != 0) {
      ++growths;
      const double ratio = double(bytes - 127 * 12) / double(last - 127 * 12);
      EXPECT_NEAR(ratio, 1.25, 0.001) << n;
    }
    last = bytes;
    if (n >= 2 * table::min_capacity) {
      const double per_key = double(bytes) / double(n);
      EXPECT_LE(per_key, 12 / 0.64 + 0.1) << n;
      EXPECT_GE(per_key, 12 / 0.80) << n;
    }
  }
  EXPECT_GE(growths, 14u);
}

// Keys chosen to share one home (the first 5,000 integers all fall in home 0) wait aside once
// their run is full, instead of making the table grow without end.
TEST(key_table, keys_sharing_one_home_do_not_make_it_grow) {
  table t;
  for (std::uint32_t key = 0; key < 5'000; ++key) t.insert(key).value = key + 1;
  std::mt19937_64 random(3);
  for (int i = 0; i < 1'000; ++i) t.insert(random() | std::uint64_t{1} << 63).value = 1;
  EXPECT_EQ(t.size(), 6'000u);
  EXPECT_LT(t.memory_bytes(), (table::min_capacity + 127) * 12 + 5'000 * 64);
  for (std::uint32_t key = 0; key < 5'000; ++key) {
    const auto* s = t.find(key);
    ASSERT_NE(s, nullptr) << key;
    EXPECT_EQ(s->value, key + 1);
  }
  EXPECT_EQ(t.find(5'000), nullptr);
  // They stay found through the growths that more keys bring.
  for (int i = 0; i < 200'000; ++i) t.insert(random());
  for (std::uint32_t key = 0; key < 5'000; ++key) ASSERT_NE(t.find(key), nullptr) << key;
  bool inserted = true;
  EXPECT_EQ(t.insert(42, inserted).value, 43u);
  EXPECT_FALSE(inserted);
}

TEST(key_table, clear_forgets_every_key_and_its_memory) {
  table t;
  for (std::uint64_t key = 1; key <= 1'000; ++key) t.insert(key * 0x9e3779b97f4a7c15ULL);
  EXPECT_GT(t.memory_bytes(), 0u);
  t.clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.memory_bytes(), 0u);
  EXPECT_EQ(t.find(0x9e3779b97f4a7c15ULL), nullptr);
  t.insert(5).value = 9;
  EXPECT_EQ(t.find(5)->value, 9u);
}

}  // namespace
}  // namespace outbound::mock_endpoint
