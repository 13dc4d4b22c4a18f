// Salesforce ids: the case-safe checksum, and deterministic ids for generated records.
#include "soap/ids.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace outbound::soap {
namespace {

constexpr std::string_view checksum_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
// Salesforce's base-62 digit order.
constexpr std::string_view base62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// Characters 4-5 of a real id name the instance ("pod") that created the record; 10 digits follow.
constexpr std::string_view pod = "5g";
constexpr std::size_t sequence_digits = 10;
constexpr std::uint32_t long_form_bit = 1u << 30;

// What each byte is in an id, looked up once per character: every id of every parsed envelope
// is checked, and the comparisons cost four times the lookup.
enum id_char : std::uint8_t { other = 0, alnum = 1, upper = 2 };
constexpr std::array<std::uint8_t, 256> id_chars = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = alnum;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = alnum;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = alnum | upper;
  return t;
}();
std::uint8_t kind(char c) {
  return id_chars[static_cast<unsigned char>(c)];
}
bool is_alnum(char c) {
  return kind(c) & alnum;
}
bool is_upper(char c) {
  return kind(c) & upper;
}

// Checksum character `chunk` (0..2) of a 15-character id: which of its five characters are
// upper case, as a letter or digit of checksum_alphabet.
char checksum_char(std::string_view id15, std::size_t chunk) {
  unsigned flags = 0;
  for (std::size_t i = 0; i < 5; ++i)
    if (is_upper(id15[chunk * 5 + i])) flags |= 1u << i;
  return checksum_alphabet[flags];
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 34> standard_prefixes{{
    {"Account", "001"},        {"Note", "002"},
    {"Contact", "003"},        {"User", "005"},
    {"Opportunity", "006"},    {"Activity", "007"},
    {"Organization", "00D"},   {"Profile", "00e"},
    {"Group", "00G"},          {"OpportunityLineItem", "00k"},
    {"Attachment", "00P"},     {"Lead", "00Q"},
    {"Task", "00T"},           {"Event", "00U"},
    {"CampaignMember", "00v"}, {"Document", "015"},
    {"Pricebook2", "01s"},     {"Product2", "01t"},
    {"PricebookEntry", "01u"}, {"Asset", "02i"},
    {"ContentVersion", "068"}, {"ContentDocument", "069"},
    {"Campaign", "701"},       {"Case", "500"},
    {"Solution", "501"},       {"Entitlement", "550"},
    {"Contract", "800"},       {"Order", "801"},
    {"OrderItem", "802"},      {"Quote", "0Q0"},
    {"WorkOrder", "0WO"},      {"ServiceContract", "810"},
    {"CaseComment", "00a"},    {"Individual", "0PK"},
}};

}  // namespace

std::string_view key_prefix_for(std::string_view object) {
  for (const auto& [name, prefix] : standard_prefixes)
    if (name == object) return prefix;
  return "a0X";  // the first custom object of an org gets a0... prefixes
}

std::string id_checksum(std::string_view id15) {
  if (id15.size() < 15) throw std::invalid_argument("id_checksum needs 15 characters");
  std::string out(3, 'A');
  for (std::size_t chunk = 0; chunk < 3; ++chunk) out[chunk] = checksum_char(id15, chunk);
  return out;
}

std::string to_18(std::string_view id15) {
  if (id15.size() == 18) return std::string(id15);
  std::string out(id15.substr(0, 15));
  out += id_checksum(id15);
  return out;
}

std::string_view make_id(id_buffer& out, std::string_view prefix, std::uint64_t sequence) {
  if (prefix.size() != 3 || !is_alnum(prefix[0]) || !is_alnum(prefix[1]) || !is_alnum(prefix[2]))
    throw std::invalid_argument("make_id: a key prefix is 3 alphanumerics, got '" +
                                std::string(prefix) + "'");
  char* p = out.data();
  p = std::copy(prefix.begin(), prefix.end(), p);
  p = std::copy(pod.begin(), pod.end(), p);
  // 62^10 > 8e17: sequences beyond it wrap, which generated data never reaches.
  for (std::size_t i = sequence_digits; i-- > 0;) {
    p[i] = base62[sequence % 62];
    sequence /= 62;
  }
  const std::string_view id15(out.data(), 15);
  for (std::size_t chunk = 0; chunk < 3; ++chunk) out[15 + chunk] = checksum_char(id15, chunk);
  return {out.data(), out.size()};
}

std::string make_id(std::string_view prefix, std::uint64_t sequence) {
  id_buffer out;
  return std::string(make_id(out, prefix, sequence));
}

bool is_valid_id(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return false;
  // One pass over the 15 characters: all must be alphanumerics, and the upper-case ones make the
  // checksum; no string is built for it.
  std::uint8_t all = alnum;
  unsigned flags = 0;
  for (std::size_t i = 0; i < 15; ++i) {
    const auto k = kind(id[i]);
    all &= k;
    flags |= static_cast<unsigned>(k >> 1) << i;
  }
  if (!(all & alnum)) return false;
  if (id.size() == 15) return true;
  return id[15] == checksum_alphabet[flags & 31] &&
         id[16] == checksum_alphabet[(flags >> 5) & 31] && id[17] == checksum_alphabet[flags >> 10];
}

std::optional<packed_id> pack_id(std::string_view id) {
  if (!is_valid_id(id)) return std::nullopt;
  packed_id p;
  for (std::size_t i = 0; i < 10; ++i)
    p.high = p.high << 6 | static_cast<std::uint64_t>(base62_digit(id[i]));
  for (std::size_t i = 10; i < 15; ++i)
    p.low = p.low << 6 | static_cast<std::uint32_t>(base62_digit(id[i]));
  if (id.size() == 18) p.low |= long_form_bit;
  return p;
}

std::string_view unpack_id(const packed_id& id, id_buffer& out) {
  std::uint64_t high = id.high;
  for (std::size_t i = 10; i-- > 0; high >>= 6) out[i] = base62[(high & 63) % 62];
  std::uint32_t low = id.low;
  for (std::size_t i = 15; i-- > 10; low >>= 6) out[i] = base62[(low & 63) % 62];
  if (!(id.low & long_form_bit)) return {out.data(), 15};
  const std::string_view id15(out.data(), 15);
  for (std::size_t chunk = 0; chunk < 3; ++chunk) out[15 + chunk] = checksum_char(id15, chunk);
  return {out.data(), out.size()};
}

}  // namespace outbound::soap
