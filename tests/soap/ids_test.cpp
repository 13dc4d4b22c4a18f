#include "soap/ids.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace outbound::soap {
namespace {

TEST(ids, checksum_matches_the_ids_of_the_reference_sample) {
  // Both 18-character ids of tests/soap/data/reference_sample_opportunity_request.xml.
  EXPECT_EQ(id_checksum("04kV0000000CaSP"), "IA0");
  EXPECT_EQ(id_checksum("04lV0000001ALsh"), "IAG");
  EXPECT_EQ(to_18("04lV0000001ALsh"), "04lV0000001ALshIAG");
  EXPECT_EQ(to_18("04lV0000001ALshIAG"), "04lV0000001ALshIAG");
}

TEST(ids, checksum_flags_uppercase_letters_per_five_character_chunk) {
  EXPECT_EQ(id_checksum("000000000000000"), "AAA");
  EXPECT_EQ(id_checksum("AAAAAAAAAAAAAAA"), "555");  // 31 in every chunk
  EXPECT_EQ(id_checksum("aaaaaZzzzzzzzzZ"), "ABQ");  // chunk 2 bit 0, chunk 3 bit 4
  EXPECT_THROW((void)id_checksum("short"), std::invalid_argument);
}

TEST(ids, make_id_is_deterministic_valid_and_distinct) {
  EXPECT_EQ(make_id("001", 42), make_id("001", 42));
  EXPECT_EQ(make_id("001", 0), "0015g0000000000AAA");
  EXPECT_EQ(make_id("001", 61), "0015g000000000zAAA");
  EXPECT_EQ(make_id("04l", 62), "04l5g0000000010AAA");
  std::set<std::string> seen;
  for (std::uint64_t i = 0; i < 5000; i += 7) {
    const auto id = make_id("006", i * 1000003);
    EXPECT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 3), "006");
    EXPECT_TRUE(is_valid_id(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 715u);
}

TEST(ids, make_id_checksum_reflects_uppercase_in_the_sequence) {
  const auto id = make_id("001", 36);  // digit 'a'
  EXPECT_EQ(id, "0015g000000000aAAA");
  const auto upper = make_id("001", 10);  // digit 'A' in chunk 3, position 4
  EXPECT_EQ(upper, "0015g000000000AAAQ");
}

TEST(ids, make_id_rejects_bad_prefixes) {
  EXPECT_THROW((void)make_id("01", 1), std::invalid_argument);
  EXPECT_THROW((void)make_id("0-1", 1), std::invalid_argument);
}

TEST(ids, is_valid_id) {
  EXPECT_TRUE(is_valid_id("006Q0000009N3gf"));
  EXPECT_TRUE(is_valid_id("04kV0000000CaSPIA0"));
  EXPECT_FALSE(is_valid_id("04kV0000000CaSPIA1"));  // wrong checksum
  EXPECT_FALSE(is_valid_id("04kV0000000CaSPia0"));  // checksum is case-sensitive here
  EXPECT_FALSE(is_valid_id("006Q0000009N3g"));      // 14
  EXPECT_FALSE(is_valid_id("006Q0000009N3gf1"));    // 16
  EXPECT_FALSE(is_valid_id("006Q0000009N3g-"));
  EXPECT_FALSE(is_valid_id(""));
}

TEST(ids, key_prefixes_of_standard_and_custom_objects) {
  EXPECT_EQ(key_prefix_for("Account"), "001");
  EXPECT_EQ(key_prefix_for("Contact"), "003");
  EXPECT_EQ(key_prefix_for("Opportunity"), "006");
  EXPECT_EQ(key_prefix_for("Lead"), "00Q");
  EXPECT_EQ(key_prefix_for("Case"), "500");
  EXPECT_EQ(key_prefix_for("User"), "005");
  EXPECT_EQ(key_prefix_for("Invoice__c"), "a0X");
  EXPECT_EQ(key_prefix::organization, "00D");
  EXPECT_EQ(key_prefix::action, "04k");
  EXPECT_EQ(key_prefix::notification, "04l");
}

// Every valid id packs into 12 bytes and unpacks to the same characters, in both forms; the bit
// left for containers stays clear; nothing else packs.
TEST(ids, valid_ids_pack_and_unpack_to_the_same_characters) {
  std::mt19937_64 random(14);
  const std::string_view alphabet =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::vector<std::string> ids = {"000000000000000", "zzzzzzzzzzzzzzz", "04lV0000001ALshIAG"};
  for (int i = 0; i < 2000; ++i) {
    std::string id(15, '0');
    for (char& c : id) c = alphabet[random() % alphabet.size()];
    ids.push_back(i % 2 ? to_18(id) : id);
  }
  for (const std::string& id : ids) {
    const auto packed = pack_id(id);
    ASSERT_TRUE(packed) << id;
    EXPECT_EQ(packed->low & packed_id::free_bit, 0u) << id;
    id_buffer out;
    EXPECT_EQ(unpack_id(*packed, out), id);
  }
  for (std::string_view bad : {"", "00000000000000", "0000000000000000", "000000000000000AAB",
                               "00000000000000-", "000000000000000aaa"})
    EXPECT_FALSE(pack_id(bad)) << bad;
}

}  // namespace
}  // namespace outbound::soap
