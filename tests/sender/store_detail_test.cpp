#include "sender/store_detail.hpp"

#include <gtest/gtest.h>

#include "soap/ids.hpp"
#include "tests/sender/store_contract.hpp"

namespace outbound::sender::detail {
namespace {

TEST(store_detail, merge_replaces_by_name_and_appends_new_names) {
  std::vector<soap::field_value> f{{"Name", "Acme"}, {"City", "Walldorf"}};
  std::vector<soap::field_value> change{{"City", std::nullopt}, {"Phone", "+49"}};
  merge_fields(f, change);
  EXPECT_EQ(f, (std::vector<soap::field_value>{
                   {"Name", "Acme"}, {"City", std::nullopt}, {"Phone", "+49"}}));
}

TEST(store_detail, sobject_has_the_definition_fields_in_order_and_nil_for_missing) {
  auto d = testing::account_definition();
  record r{"001", "Account", {{"Name", "Acme"}, {"Other", "x"}}, false, {}};
  auto o = testing::make_sobject(d, &r, r.id);
  EXPECT_EQ(o.fields,
            (std::vector<soap::field_value>{{"BillingCity", std::nullopt}, {"Name", "Acme"}}));
  r.deleted = true;
  EXPECT_TRUE(testing::make_sobject(d, &r, r.id).fields.empty());
  EXPECT_TRUE(testing::make_sobject(d, nullptr, "001x").fields.empty());
  EXPECT_EQ(testing::make_sobject(d, nullptr, "001x").id, "001x");
}

// The values are found by name whatever the record's order: the definition's, reversed,
// shuffled, with names the definition lacks between them, or some missing.
TEST(store_detail, sobject_finds_each_value_by_name_in_any_order) {
  auto d = testing::account_definition();
  d.fields.clear();
  for (const char* name : {"A", "B", "C", "D"}) d.fields.push_back({name, {}});
  const std::vector<soap::field_value> expected{{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", "4"}};
  const std::vector<std::vector<soap::field_value>> orders{
      {{"A", "1"}, {"B", "2"}, {"C", "3"}, {"D", "4"}},
      {{"D", "4"}, {"C", "3"}, {"B", "2"}, {"A", "1"}},
      {{"C", "3"}, {"A", "1"}, {"D", "4"}, {"B", "2"}},
      {{"x", "9"}, {"B", "2"}, {"y", "9"}, {"A", "1"}, {"D", "4"}, {"z", "9"}, {"C", "3"}},
  };
  for (const auto& fields : orders) {
    record r{"001", "Account", fields, false, {}};
    EXPECT_EQ(testing::make_sobject(d, &r, r.id).fields, expected) << fields[0].name;
  }
  record some{"001", "Account", {{"D", "4"}, {"B", "2"}}, false, {}};
  EXPECT_EQ(testing::make_sobject(d, &some, some.id).fields,
            (std::vector<soap::field_value>{
                {"A", std::nullopt}, {"B", "2"}, {"C", std::nullopt}, {"D", "4"}}));
}

TEST(store_detail, fields_round_trip_through_their_json_text) {
  std::vector<soap::field_value> f{{"Name", "Acme \"Big\" \\ AG\n\t\x01"},
                                   {"Phone", std::nullopt},
                                   {"City", "Zürich"},
                                   {"Empty", ""}};
  auto text = encode_fields(f);
  EXPECT_EQ(text,
            R"({"Name":"Acme \"Big\" \\ AG\n\t\u0001","Phone":null,"City":"Zürich","Empty":""})");
  EXPECT_EQ(decode_fields(text), f) << text;
  EXPECT_EQ(encode_fields({}), "{}");
  EXPECT_EQ(decode_fields("{}"), std::vector<soap::field_value>{});
  for (const char* bad : {"", "{", "{\"a\"}", "{\"a\":1}", "{\"a\":null", "[]", "{}x",
                          "{\"a\":\"\\q\"}", "{\"a\":\"abc"})
    EXPECT_FALSE(decode_fields(bad)) << bad;
}

// Every byte, in names and values: the text is sized exactly (no byte left over or missing) and
// reads back to the same fields.
TEST(store_detail, fields_with_every_byte_round_trip) {
  std::vector<soap::field_value> f;
  std::string all;
  for (int c = 0; c < 256; ++c) {
    all += static_cast<char>(c);
    f.push_back({std::string(1, static_cast<char>(c)), std::string(c % 3, static_cast<char>(c))});
  }
  f.push_back({all, all});
  f.push_back({"", std::nullopt});
  const std::string text = encode_fields(f);
  EXPECT_EQ(text.find('\0'), std::string::npos);  // NUL is written as \u0000
  EXPECT_EQ(decode_fields(text), f);
  const std::vector<soap::field_value> one_null{{"a", std::nullopt}};
  EXPECT_EQ(encode_fields(one_null), R"({"a":null})");
}

// Decoding into fields that held other values (more or fewer fields, null where there was a
// value and the reverse) gives what a fresh decode gives; so does "{}". A refused text says so.
TEST(store_detail, fields_decoded_into_used_ones_are_the_fresh_ones) {
  const std::vector<std::vector<soap::field_value>> all = {
      {{"Name", "Acme"}, {"Phone", std::nullopt}, {"BillingStreet", "1 Market Street\nSuite 300"}},
      {{"Phone", "+49 6227 7 47474"}, {"Name", std::nullopt}},
      {},
      {{"A", ""}, {"B", "a value longer than the small-string buffer"}, {"C", "x"}, {"D", "y"}},
      {{"Name", "Zürich \"AG\""}}};
  std::vector<soap::field_value> used;
  for (int round = 0; round < 3; ++round) {
    for (const auto& f : all) {
      const std::string text = encode_fields(f);
      ASSERT_TRUE(decode_fields_into(text, used)) << text;
      EXPECT_EQ(used, f) << text;
    }
  }
  EXPECT_FALSE(decode_fields_into("{\"a\":1}", used));
  EXPECT_FALSE(decode_fields_into("{}x", used));
}

TEST(store_detail, sequence_of_id_inverts_make_id) {
  for (std::uint64_t seq : {1ull, 61ull, 62ull, 123456789ull}) {
    auto id = soap::make_id("04l", seq);
    EXPECT_EQ(sequence_of_id(id, "04l"), seq);
    EXPECT_EQ(sequence_of_id(id.substr(0, 15), "04l"), seq);
    EXPECT_FALSE(sequence_of_id(id, "001"));
  }
  EXPECT_FALSE(sequence_of_id("04l", "04l"));
  EXPECT_FALSE(sequence_of_id("04l5g00000000!!AAA", "04l"));
}

}  // namespace
}  // namespace outbound::sender::detail
