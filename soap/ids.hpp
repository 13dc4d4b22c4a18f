#pragma once
// Salesforce record ids: 15 case-sensitive characters (3-character key prefix, then base-62), or
// 18 with a case-safe checksum suffix of three characters.
//   make_id("001", 42) -> "001000000000042AAA"-like 18-character id, the same for the same input
//   is_valid_id("006Q0000009N3gf") == true;  to_18("006Q0000009N3gf") == "006Q0000009N3gfIAK"-like

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace outbound::soap {

// The key prefixes used here: 00D organization, 04k action, 04l notification, 001 Account, ...
namespace key_prefix {
inline constexpr std::string_view organization = "00D";
inline constexpr std::string_view action = "04k";
inline constexpr std::string_view notification = "04l";
}  // namespace key_prefix

// The key prefix of a standard object ("Account" -> "001", "Contact" -> "003", "Opportunity" ->
// "006", "Lead" -> "00Q", "Case" -> "500", ...); custom and unknown objects get "a0X".
std::string_view key_prefix_for(std::string_view object);

// An 18-character id: prefix, "5g" (the instance characters of a real id), `sequence` as 10 base-62
// digits (0-9A-Za-z, wrapping past 62^10), then the checksum. Throws std::invalid_argument unless
// the prefix is 3 alphanumerics.
std::string make_id(std::string_view prefix, std::uint64_t sequence);
// The same characters written into `out`, which the view points into: no allocation, for ids
// made for every message (the load generator's).
using id_buffer = std::array<char, 18>;
std::string_view make_id(id_buffer& out, std::string_view prefix, std::uint64_t sequence);

// A character's base-62 digit in Salesforce's order (0-9, A-Z, a-z), -1 for any other: a table,
// inline, since the mock looks up every character of every id it receives.
namespace detail {
inline constexpr std::array<std::int8_t, 256> base62_digits = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<std::int8_t>(c - '0');
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = static_cast<std::int8_t>(c - 'A' + 10);
  for (int c = 'a'; c <= 'z'; ++c) t[c] = static_cast<std::int8_t>(c - 'a' + 36);
  return t;
}();
}  // namespace detail
inline int base62_digit(char c) {
  return detail::base62_digits[static_cast<unsigned char>(c)];
}

// The three checksum characters of a 15-character id.
std::string id_checksum(std::string_view id15);
std::string to_18(std::string_view id15);

// 15 alphanumerics, or 18 whose last three are the checksum of the first 15.
bool is_valid_id(std::string_view id);

// A valid id in 12 bytes, for the mock's ledger of millions of them: its 15 characters as 6-bit
// base-62 digits, and whether it came in its 18-character form (whose suffix they determine).
struct packed_id {
  std::uint64_t high = 0;  // characters 0-9
  std::uint32_t low = 0;   // characters 10-14 in bits 0-29; bit 30: the 18-character form
  // Bit 31 of `low` is always clear, for a container to mark its own entries with.
  static constexpr std::uint32_t free_bit = 1u << 31;
};
// None unless is_valid_id(id).
std::optional<packed_id> pack_id(std::string_view id);
// The id's characters as they came, written into `out`, which the view points into.
std::string_view unpack_id(const packed_id& id, id_buffer& out);

}  // namespace outbound::soap
