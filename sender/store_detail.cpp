// Record values, sObjects and ids, the same way in both stores.
#include "sender/store_detail.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "soap/ids.hpp"

namespace outbound::sender::detail {
namespace {

// The bytes each character takes inside a JSON string: 1 as itself, 2 for \" \\ \n \r \t, 6 for
// \u00XX. encode_fields sizes its result with it, then writes without a capacity check per
// character: 2.8k instructions for a sample Account's values, where appending runs took 3.5k.
constexpr std::array<std::uint8_t, 256> json_width = [] {
  std::array<std::uint8_t, 256> w{};
  w.fill(1);
  for (int c = 0; c < 0x20; ++c) w[c] = 6;
  for (const int c : {'"', '\\', '\n', '\r', '\t'}) w[c] = 2;
  return w;
}();

std::size_t json_string_size(std::string_view s) {
  std::size_t n = 2;
  for (const unsigned char c : s) n += json_width[c];
  return n;
}

char* write_json_string(char* out, std::string_view s) {
  *out++ = '"';
  for (const unsigned char c : s) {
    if (json_width[c] == 1) {
      *out++ = static_cast<char>(c);
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"':
      case '\\':
        *out++ = static_cast<char>(c);
        break;
      case '\n':
        *out++ = 'n';
        break;
      case '\r':
        *out++ = 'r';
        break;
      case '\t':
        *out++ = 't';
        break;
      default: {
        static constexpr char hex[] = "0123456789abcdef";
        *out++ = 'u';
        *out++ = '0';
        *out++ = '0';
        *out++ = hex[c >> 4];
        *out++ = hex[c & 0xf];
      }
    }
  }
  *out++ = '"';
  return out;
}

// Reads a JSON string at text[i] (the opening quote); only the escapes encode_fields writes
// plus \/ \b \f and \u00XX.
bool read_json_string(std::string_view text, std::size_t& i, std::string& out) {
  if (i >= text.size() || text[i] != '"') return false;
  ++i;
  while (i < text.size()) {
    // Copy the run up to the next quote or backslash at once: values rarely have escapes. Two
    // memchr calls beat find_first_of, which tests each character against the set in turn.
    const char* begin = text.data() + i;
    const std::size_t left = text.size() - i;
    const auto* quote = static_cast<const char*>(std::memchr(begin, '"', left));
    if (!quote) return false;
    const auto* backslash =
        static_cast<const char*>(std::memchr(begin, '\\', static_cast<std::size_t>(quote - begin)));
    const std::size_t stop =
        static_cast<std::size_t>((backslash ? backslash : quote) - text.data());
    out.append(text.data() + i, stop - i);
    i = stop;
    char c = text[i++];
    if (c == '"') return true;
    if (i >= text.size()) return false;
    char e = text[i++];
    switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        if (i + 4 > text.size() || text.substr(i, 2) != "00") return false;
        auto nibble = [](char h) -> int {
          if (h >= '0' && h <= '9') return h - '0';
          if (h >= 'a' && h <= 'f') return h - 'a' + 10;
          if (h >= 'A' && h <= 'F') return h - 'A' + 10;
          return -1;
        };
        int hi = nibble(text[i + 2]), lo = nibble(text[i + 3]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 4;
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

}  // namespace

void merge_fields(std::vector<soap::field_value>& fields,
                  std::span<const soap::field_value> changes) {
  for (const auto& change : changes) {
    bool found = false;
    for (auto& f : fields) {
      if (f.name == change.name) {
        f.value = change.value;
        found = true;
        break;
      }
    }
    if (!found) fields.push_back(change);
  }
}

void field_views(const soap::definition& d, const record* r, std::vector<soap::field_view>& out) {
  out.clear();
  if (r == nullptr || r->deleted) return;
  // A record's values are usually in the definition's order (the sample records, and records
  // written through a definition), so the search starts after the last match: one comparison
  // per field instead of half the record's, and any order is still found.
  const std::size_t have = r->fields.size();
  std::size_t next = 0;
  for (const auto& f : d.fields) {
    if (f.name == "Id") continue;
    soap::field_view v{f.name, std::nullopt};
    for (std::size_t k = 0; k < have; ++k) {
      const std::size_t i = next + k < have ? next + k : next + k - have;
      if (r->fields[i].name == f.name) {
        if (r->fields[i].value) v.value = *r->fields[i].value;
        next = i + 1;
        break;
      }
    }
    out.push_back(v);
  }
}

std::string encode_fields(std::span<const soap::field_value> fields) {
  constexpr std::string_view null = "null";
  std::size_t size = 2 + (fields.empty() ? 0 : fields.size() - 1);  // braces and commas
  for (const auto& f : fields)
    size += json_string_size(f.name) + 1 + (f.value ? json_string_size(*f.value) : null.size());
  std::string out(size, '\0');
  char* p = out.data();
  *p++ = '{';
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) *p++ = ',';
    p = write_json_string(p, fields[i].name);
    *p++ = ':';
    if (fields[i].value)
      p = write_json_string(p, *fields[i].value);
    else
      p = std::copy(null.begin(), null.end(), p);
  }
  *p++ = '}';
  return out;
}

std::optional<std::vector<soap::field_value>> decode_fields(std::string_view text) {
  std::vector<soap::field_value> fields;
  fields.reserve(16);  // growing one field at a time moved every string several times
  if (!decode_fields_into(text, fields)) return std::nullopt;
  return fields;
}

bool decode_fields_into(std::string_view text, std::vector<soap::field_value>& fields) {
  std::size_t i = 0, n = 0;
  if (text.empty() || text[i++] != '{') return false;
  if (i < text.size() && text[i] == '}') {
    fields.clear();
    return i + 1 == text.size();
  }
  while (true) {
    if (n == fields.size()) fields.emplace_back();
    soap::field_value& f = fields[n++];
    f.name.clear();
    if (!read_json_string(text, i, f.name)) return false;
    if (i >= text.size() || text[i++] != ':') return false;
    if (text.substr(i, 4) == "null") {
      i += 4;
      f.value.reset();
    } else {
      if (f.value) {
        f.value->clear();
      } else {
        f.value.emplace();
      }
      if (!read_json_string(text, i, *f.value)) return false;
    }
    if (i >= text.size()) return false;
    const char c = text[i++];
    if (c == '}') {
      fields.resize(n);
      return i == text.size();
    }
    if (c != ',') return false;
  }
}

std::optional<std::uint64_t> sequence_of_id(std::string_view id, std::string_view prefix) {
  if ((id.size() != 15 && id.size() != 18) || id.substr(0, 3) != prefix) return std::nullopt;
  std::uint64_t seq = 0;
  for (std::size_t i = 5; i < 15; ++i) {
    const int digit = soap::base62_digit(id[i]);
    if (digit < 0) return std::nullopt;
    seq = seq * 62 + static_cast<std::uint64_t>(digit);
  }
  // make_id's layout is soap's business: accept the guess only if it makes the same id.
  std::string made = soap::make_id(prefix, seq);
  if (id.size() == 15 ? made.substr(0, 15) != id : made != id) return std::nullopt;
  return seq;
}

}  // namespace outbound::sender::detail
