// Escaping for the envelope, ack and fault writers: sixteen plain bytes a step (SSE2), else one
// table lookup per byte, runs of plain bytes appended in one go, because the envelope writer is on
// the sender's hot path.
#include "soap/xml_escape.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace outbound::soap::detail {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// 0 plain; 1 needs an entity or reference; 2 forbidden control; 3 non-ASCII (check UTF-8).
constexpr std::array<std::uint8_t, 256> make_table(bool attribute) {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 2;
  t['\t'] = attribute ? 1 : 0;
  t['\n'] = attribute ? 1 : 0;
  t['\r'] = 1;
  t['&'] = 1;
  t['<'] = 1;
  t['>'] = 1;
  if (attribute) t['"'] = 1;
  t[0x7F] = 0;  // DEL is allowed in XML 1.0
  for (int c = 0x80; c < 0x100; ++c) t[c] = 3;
  return t;
}
constexpr auto text_table = make_table(false);
constexpr auto attribute_table = make_table(true);

std::string_view reference_for(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\r':
      return "&#13;";
    case '\n':
      return "&#10;";
    default:
      return "&#9;";
  }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is malformed, overlong, a
// surrogate, beyond U+10FFFF, or U+FFFE/U+FFFF (not XML characters).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    if (c == 0xEF && b(1) == 0xBF && (b(2) == 0xBE || b(2) == 0xBF)) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

#if defined(__SSE2__)
// The bytes of 16 that may need more than copying in either table, as a bit mask: controls, every
// byte from 0x80 on (both below 0x20 as signed bytes), & < > and ". Tabs, newlines and quotes in
// text are flagged too, and left to the table.
unsigned special_mask(__m128i v) {
  const auto is = [v](char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); };
  const __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
  const __m128i marks =
      _mm_or_si128(_mm_or_si128(is('&'), is('<')), _mm_or_si128(is('>'), is('"')));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, marks)));
}
#endif

// How many of the n bytes from p on, from the first, need nothing but copying, counted sixteen a
// step: most values are plain text. (Without SSE2, none: the table decides each byte.)
std::size_t plain_prefix(const char* p, std::size_t n) {
#if defined(__SSE2__)
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const unsigned mask = special_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
  if (i == n) return n;
  // The last few bytes through a copy, so that nothing past the value is read; the bits from the
  // value's end on are set, so the mask is never zero.
  alignas(16) char tail[16] = {};
  std::memcpy(tail, p + i, n - i);
  const unsigned mask =
      special_mask(_mm_load_si128(reinterpret_cast<const __m128i*>(tail))) | (~0U << (n - i));
  return i + static_cast<std::size_t>(__builtin_ctz(mask));
#else
  (void)p;
  (void)n;
  return 0;
#endif
}

void append_escaped(std::string& out, std::string_view s, const std::array<std::uint8_t, 256>& t) {
  std::size_t run = 0;  // start of the pending run of bytes copied unchanged
  std::size_t i = 0;
  while (i < s.size()) {
    i += plain_prefix(s.data() + i, s.size() - i);
    if (i == s.size()) break;
    const std::uint8_t kind = t[static_cast<unsigned char>(s[i])];
    if (kind == 0) {
      ++i;
      continue;
    }
    std::size_t n = 1;
    if (kind == 3) {
      n = utf8_length(s, i);
      if (n != 0) {
        i += n;
        continue;
      }
      // Skip the bad lead byte and any continuation bytes after it: one U+FFFD per bad sequence.
      n = 1;
      while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    }
    out.append(s.data() + run, i - run);
    out += kind == 1 ? reference_for(s[i]) : replacement;
    i += n;
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace

void append_escaped_text(std::string& out, std::string_view text) {
  append_escaped(out, text, text_table);
}

void append_escaped_attribute(std::string& out, std::string_view text) {
  append_escaped(out, text, attribute_table);
}

bool is_api_name(std::string_view name) {
  // 1 a letter, 2 a digit or '_': every name of every notification written is checked.
  static constexpr auto kinds = [] {
    std::array<std::uint8_t, 256> t{};
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = t[c + 'a' - 'A'] = 1;
    for (int c = '0'; c <= '9'; ++c) t[c] = 2;
    t['_'] = 2;
    return t;
  }();
  if (name.empty() || kinds[static_cast<unsigned char>(name[0])] != 1) return false;
  for (char c : name)
    if (kinds[static_cast<unsigned char>(c)] == 0) return false;
  return true;
}

}  // namespace outbound::soap::detail
