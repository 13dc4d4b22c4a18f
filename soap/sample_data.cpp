// Seeded sample values: one "record" (a company, a contact person and an address) is drawn per
// sObject so that its fields agree with each other (the city is in the country, the email is the
// person's at the company's domain). Some values carry Unicode and XML markup on purpose, so that
// every generated envelope exercises the writer's escaping.
#include "soap/sample_data.hpp"

#include <array>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>

#include "soap/ids.hpp"

namespace outbound::soap {
namespace {

struct company {
  std::string_view name;
  std::string_view domain;  // for emails and websites (names with markup have no usable one)
};
constexpr std::array<company, 16> companies{{
    {"Acme Corporation", "acme"},
    {"Globex Industries", "globex"},
    {"Müller GmbH", "mueller"},
    {"Société Générale", "societegenerale"},
    {"A&B <Ltd>", "ab-ltd"},
    {"O'Brien & Sons", "obrien"},
    {"Initech LLC", "initech"},
    {"Umbrella Pharmaceuticals", "umbrella"},
    {"Nordwind Logistik AG", "nordwind"},
    {"Björk & Dahl AB", "bjorkdahl"},
    {"Stark Industries", "stark"},
    {"Wayne Enterprises", "wayne"},
    {"Tokyo Seimitsu 東京精密", "tokyoseimitsu"},
    {"Cyberdyne Systems", "cyberdyne"},
    {"Hooli \"Beta\" Inc.", "hooli"},
    {"Vandelay Import/Export", "vandelay"},
}};

struct person {
  std::string_view first, last, email_first, email_last;
};
constexpr std::array<person, 12> people{{
    {"Anna", "Schmidt", "anna", "schmidt"},
    {"José", "García", "jose", "garcia"},
    {"Emily", "Chen", "emily", "chen"},
    {"Lukas", "Müller", "lukas", "mueller"},
    {"Chloé", "Dubois", "chloe", "dubois"},
    {"Michael", "O'Connor", "michael", "oconnor"},
    {"Priya", "Patel", "priya", "patel"},
    {"Sven", "Lindqvist", "sven", "lindqvist"},
    {"Yuki", "Tanaka", "yuki", "tanaka"},
    {"David", "Smith", "david", "smith"},
    {"Fatima", "Haddad", "fatima", "haddad"},
    {"Tomás", "Novák", "tomas", "novak"},
}};

struct address {
  std::string_view street, city, postal_code, state, country, phone_prefix;
};
constexpr std::array<address, 10> addresses{{
    {"1 Market Street\nSuite 300", "San Francisco", "94105", "CA", "United States", "+1 415 555"},
    {"350 Fifth Avenue", "New York", "10118", "NY", "United States", "+1 212 555"},
    {"Königsallee 92", "Düsseldorf", "40212", "NW", "Germany", "+49 211 555"},
    {"Friedrichstraße 43", "Berlin", "10117", "BE", "Germany", "+49 30 555"},
    {"45 Rue de Rivoli", "Paris", "75001", "IDF", "France", "+33 1 55 55"},
    {"221B Baker Street", "London", "NW1 6XE", "", "United Kingdom", "+44 20 7946"},
    {"Drottninggatan 12", "Stockholm", "111 51", "", "Sweden", "+46 8 555"},
    {"1-1 Marunouchi, Chiyoda-ku", "Tokyo", "100-0005", "Tokyo", "Japan", "+81 3 5555"},
    {"100 Queen Street West", "Toronto", "M5H 2N2", "ON", "Canada", "+1 416 555"},
    {"Keizersgracht 123", "Amsterdam", "1015 CJ", "NH", "Netherlands", "+31 20 555"},
}};

constexpr std::array<std::string_view, 10> industries{
    "Agriculture", "Banking",   "Chemicals",     "Construction", "Education",
    "Energy",      "Insurance", "Manufacturing", "Retail",       "Technology"};
constexpr std::array<std::string_view, 6> stages{"Prospecting",    "Qualification",
                                                 "Needs Analysis", "Proposal/Price Quote",
                                                 "Closed Won",     "Closed Lost"};
constexpr std::array<std::string_view, 5> payment_methods{"Invoice", "Direct Debit", "Credit Card",
                                                          "Bank Transfer", "PayPal"};
constexpr std::array<std::string_view, 6> descriptions{
    "Key account, renewal due in Q3.",
    "Prefers contact by email & phone; no calls before 9 <local time>.",
    "Übernahme durch neue Muttergesellschaft geplant.",
    "Migrated from legacy CRM\r\nsee ticket #4711.",
    "Payment terms: 30 days net.",
    "Très bon client — priorité haute.",
};

// One record's worth of related choices.
struct record {
  const company* c;
  const person* p;
  const address* a;
  std::uint64_t number;  // account number, phone digits, ...
};

record draw_record(random& rng) {
  return {&companies[rng.below(companies.size())], &people[rng.below(people.size())],
          &addresses[rng.below(addresses.size())], rng.below(100000000)};
}

template <class T, std::size_t N>
std::string_view pick(const std::array<T, N>& a, random& rng) {
  return a[rng.below(N)];
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

std::string padded(std::uint64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(v));
  return buf;
}

std::string date_value(random& rng) {
  const int year = 2020 + static_cast<int>(rng.below(7));
  const int month = 1 + static_cast<int>(rng.below(12));
  const int day = 1 + static_cast<int>(rng.below(28));
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string datetime_value(random& rng) {
  std::string s = date_value(rng);
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.000Z", static_cast<int>(rng.below(24)),
                static_cast<int>(rng.below(60)), static_cast<int>(rng.below(60)));
  return s + buf;
}

// The key prefix for a lookup field: "AccountId" -> 001, "OwnerId" -> 005, "Parent_Account__c" ->
// 001; anything else gets the custom-object prefix.
std::string_view lookup_prefix(std::string_view name) {
  if (contains(name, "Owner") || contains(name, "CreatedBy") || contains(name, "ModifiedBy") ||
      contains(name, "User"))
    return key_prefix_for("User");
  for (std::string_view object : {"Account", "Contact", "Opportunity", "Lead", "Case", "Campaign",
                                  "Contract", "Product2", "Pricebook2", "Order"})
    if (contains(name, object)) return key_prefix_for(object);
  return key_prefix_for("");
}

// What a field's name and type ask for, worked out once per field (the name tests are most of
// the work of a value): each kind is one branch of value_of.
enum class kind {
  id,
  boolean,
  integer,
  employees,
  probability,
  amount,
  decimal,
  date,
  datetime,
  first_name,
  last_name,
  email,
  phone,
  website,
  street,
  city,
  postal_code,
  state,
  country,
  iban,
  bic,
  account_number,
  industry,
  stage,
  payment,
  description,
  person_name,
  company_name,
  level,
  other
};

kind string_kind(std::string_view n) {
  if (n == "FirstName") return kind::first_name;
  if (n == "LastName") return kind::last_name;
  if (contains(n, "Email")) return kind::email;
  if (contains(n, "Phone") || contains(n, "Fax") || contains(n, "Mobile")) return kind::phone;
  if (contains(n, "Website") || n == "Url__c") return kind::website;
  if (contains(n, "Street")) return kind::street;
  if (contains(n, "City")) return kind::city;
  if (contains(n, "PostalCode") || contains(n, "Zip")) return kind::postal_code;
  if (contains(n, "State")) return kind::state;
  if (contains(n, "Country")) return kind::country;
  if (contains(n, "IBAN")) return kind::iban;
  if (contains(n, "BIC") || contains(n, "Swift")) return kind::bic;
  if (contains(n, "Number")) return kind::account_number;
  if (contains(n, "Industry")) return kind::industry;
  if (contains(n, "Stage")) return kind::stage;
  if (contains(n, "Payment")) return kind::payment;
  if (contains(n, "Description") || contains(n, "Notes") || contains(n, "Comment"))
    return kind::description;
  if (contains(n, "Owner") || contains(n, "Contact") || contains(n, "Addressed") ||
      contains(n, "Person"))
    return kind::person_name;
  if (contains(n, "Name")) return kind::company_name;
  if (contains(n, "Level") || contains(n, "Tier") || contains(n, "Rating")) return kind::level;
  return kind::other;
}

kind kind_of(const field& f) {
  switch (f.type) {
    case field_type::id:
      return kind::id;
    case field_type::boolean:
      return kind::boolean;
    case field_type::integer:
      return contains(f.name, "Employees") ? kind::employees : kind::integer;
    case field_type::number:
      if (contains(f.name, "Probability") || contains(f.name, "Percent")) return kind::probability;
      if (contains(f.name, "Amount") || contains(f.name, "Revenue") || contains(f.name, "Price"))
        return kind::amount;
      return kind::decimal;
    case field_type::date:
      return kind::date;
    case field_type::datetime:
      return kind::datetime;
    case field_type::string:
      break;
  }
  return string_kind(f.name);
}

std::string email(const record& r) {
  return std::string(r.p->email_first) + "." + std::string(r.p->email_last) + "@" +
         std::string(r.c->domain) + ".example.com";
}

std::string iban(const record& r) {
  return "DE" + padded(10 + r.number % 90, 2) + " 3704 0044 " + padded(r.number % 10000, 4) +
         " 1301 " + padded(r.number % 100, 2);
}

// A value of kind `k` for field `name` (`prefix`: an id field's key prefix).
std::optional<std::string> value_of(kind k, std::string_view name, std::string_view prefix,
                                    const record& r, random& rng) {
  if (rng.chance(0.05)) return std::nullopt;  // fields are nillable; some are always empty
  switch (k) {
    case kind::id:
      return make_id(prefix, rng.below(1000000000));
    case kind::boolean:
      return rng.chance(0.5) ? "true" : "false";
    case kind::employees:
      return std::to_string(1 + rng.below(50000));
    case kind::integer:
      return std::to_string(rng.below(1000));
    case kind::probability:
      return std::to_string(rng.below(11) * 10) + ".0";
    case kind::amount:
      return std::to_string(500 + (r.number % 9999500)) + (rng.chance(0.5) ? ".0" : ".5");
    case kind::decimal:
      return std::to_string(rng.below(100000)) + "." + std::to_string(rng.below(100));
    case kind::date:
      return date_value(rng);
    case kind::datetime:
      return datetime_value(rng);
    case kind::first_name:
      return std::string(r.p->first);
    case kind::last_name:
      return std::string(r.p->last);
    case kind::email:
      return email(r);
    case kind::phone:
      return std::string(r.a->phone_prefix) + " " + padded(r.number % 10000, 4);
    case kind::website:
      return "https://www." + std::string(r.c->domain) + ".example.com";
    case kind::street:
      return std::string(r.a->street);
    case kind::city:
      return std::string(r.a->city);
    case kind::postal_code:
      return std::string(r.a->postal_code);
    case kind::state:
      return std::string(r.a->state);
    case kind::country:
      return std::string(r.a->country);
    case kind::iban:
      return iban(r);
    case kind::bic:
      return "COBADEFF" + padded(r.number % 1000, 3);
    case kind::account_number:
      return "ACC-" + padded(r.number, 8);
    case kind::industry:
      return std::string(pick(industries, rng));
    case kind::stage:
      return std::string(pick(stages, rng));
    case kind::payment:
      return std::string(pick(payment_methods, rng));
    case kind::description:
      return std::string(pick(descriptions, rng));
    case kind::person_name:
      return std::string(r.p->first) + " " + std::string(r.p->last);
    case kind::company_name:
      return std::string(r.c->name);
    case kind::level:
      return std::string(pick(std::array<std::string_view, 3>{"Gold", "Silver", "Bronze"}, rng));
    case kind::other:
      break;
  }
  return std::string(name) + " value " + std::to_string(rng.below(1000));
}

std::optional<std::string> value_for(const field& f, const record& r, random& rng) {
  const kind k = kind_of(f);
  return value_of(k, f.name, k == kind::id ? lookup_prefix(f.name) : "", r, rng);
}

// A session id of the shape Salesforce sends: the 15-character org id, '!', then opaque text.
std::string session_id(std::string_view organization_id, random& rng) {
  static constexpr std::string_view chars =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
  std::string s(organization_id.substr(0, 15));
  s += "!AQ";
  for (int i = 0; i < 93; ++i) s += chars[rng.below(chars.size())];
  return s;
}

}  // namespace

field_value sample_value(const field& f, random& rng) {
  const record r = draw_record(rng);
  return {f.name, value_for(f, r, rng)};
}

std::vector<field_value> sample_fields(const definition& d, random& rng) {
  return fields_sampler(d)(rng);
}

struct fields_sampler::plan {
  std::string name;
  kind k;
  std::string_view prefix;  // an id field's key prefix
};

fields_sampler::fields_sampler(const definition& d) {
  for (const auto& f : d.fields) {
    if (f.name == "Id") continue;
    const kind k = kind_of(f);
    fields_.push_back({f.name, k, k == kind::id ? lookup_prefix(f.name) : std::string_view()});
  }
}
fields_sampler::~fields_sampler() = default;
fields_sampler::fields_sampler(fields_sampler&&) noexcept = default;
fields_sampler& fields_sampler::operator=(fields_sampler&&) noexcept = default;

std::vector<field_value> fields_sampler::operator()(random& rng) const {
  const record r = draw_record(rng);
  std::vector<field_value> out;
  out.reserve(fields_.size());
  for (const auto& f : fields_) out.push_back({f.name, value_of(f.k, f.name, f.prefix, r, rng)});
  return out;
}

message sample_message(const definition& d, std::size_t count, random& rng) {
  if (count == 0 || count > max_notifications)
    throw std::invalid_argument("sample_message: " + std::to_string(count) +
                                " notifications, expected 1 to 100");
  const std::string org = d.organization_id.empty()
                              ? make_id(key_prefix::organization, rng.below(1000000))
                              : d.organization_id;
  const std::string action =
      d.action_id.empty() ? make_id(key_prefix::action, rng.below(1000000)) : d.action_id;
  message m;
  m.header = make_header(org, action, d.api_version,
                         d.include_session_id ? std::optional(session_id(org, rng)) : std::nullopt);
  // Consecutive sequences from a seeded start: distinct ids, as a real org's would be.
  const std::uint64_t first_note = rng.below(1000000000);
  const std::uint64_t first_record = rng.below(1000000000);
  const auto prefix = key_prefix_for(d.object);
  const fields_sampler sampler(d);
  m.notifications.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    auto& n = m.notifications[i];
    n.id = make_id(key_prefix::notification, first_note + i);
    n.object.type = d.object;
    n.object.id = make_id(prefix, first_record + i);
    n.object.fields = sampler(rng);
  }
  return m;
}

}  // namespace outbound::soap
